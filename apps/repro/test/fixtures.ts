import { join } from 'node:path';
import { sucOnes } from '../src/experiments/suc-ones';
import type { EpochMetrics } from '../src/results/records';
import { writeMetrics, writeRunRecord } from '../src/results/store';

/**
 * Writes a hand-made finished suc-ones run: test accuracy per epoch (epoch 0 first) and the seconds
 * of each trained epoch.
 */
export function suc(
  out: string,
  config: string,
  seed: number,
  accuracies: number[],
  seconds: number[],
): void {
  const settings = {
    ...sucOnes.full.configs.find((c) => c.id === config)!.settings,
    epochs: accuracies.length - 1,
  };
  const dir = join(out, 'suc-ones', config, `seed-${seed}`);
  writeRunRecord(dir, {
    run: { experiment: 'suc-ones', config, seed, settings, tier: 'full', backend: 'cpu' },
    environment: {
      node: 'v20.0.0',
      platform: 'linux',
      arch: 'x64',
      cpu: 'test cpu',
      cpuCount: 2,
      backend: 'cpu',
      packages: { '@fbt/repro': '0.1.0' },
    },
  });
  const metrics: EpochMetrics[] = accuracies.map((testAccuracy, epoch) => ({
    epoch,
    trainLoss: epoch === 0 ? null : 0.1,
    trainAccuracy: epoch === 0 ? null : testAccuracy,
    testLoss: 0.2,
    testAccuracy,
    seconds: epoch === 0 ? 0 : seconds[epoch - 1]!,
  }));
  writeMetrics(dir, metrics);
}
