import { join } from 'node:path';
import { sucOnes, sucOnesConfigId } from '../src/experiments/suc-ones';
import type { SummaryRow } from '../src/report/summary';
import type { EpochMetrics } from '../src/results/records';
import { writeMetrics, writeRunRecord } from '../src/results/store';

/**
 * Writes a hand-made finished suc-ones run of the rule `ruleName`: test accuracy per epoch (epoch 0
 * first) and the seconds of each trained epoch.
 */
export function suc(
  out: string,
  ruleName: string,
  seed: number,
  accuracies: number[],
  seconds: number[],
): void {
  const config = sucOnesConfigId(ruleName);
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

/** A valid user config: one unit on a small Ones set (the cheapest study); tests change one thing. */
export const UNIT_STUDY = {
  name: 'study',
  model: { kind: 'unit' },
  dataset: { name: 'ones', d: 4, n: 100, tau: 0.5, testFraction: 0.2 },
  loss: 'bce',
  optimizer: { name: 'sgd', lr: 0.1 },
  epochs: 1,
  batchSize: 8,
  seeds: [0],
  forwards: ['logistic'],
  rules: [{ name: 'tied' }],
} as const;

/** A valid user config: an MLP on DIGITS with two forwards and two rules. */
export const MLP_STUDY = {
  name: 'my-study',
  model: { kind: 'mlp', hidden: [16] },
  dataset: { name: 'digits', testFraction: 0.2 },
  loss: 'cross-entropy',
  optimizer: { name: 'sgd', lr: 0.05, momentum: 0.9 },
  epochs: 3,
  batchSize: 32,
  seeds: [0, 1],
  forwards: ['logistic', 'relu'],
  rules: [{ name: 'tied' }, { name: 'rectangular', params: { a: -1, b: 1 } }],
} as const;

/** A summary row of `config` with the given final (and initial) accuracies per seed. */
export function syntheticRow(config: string, finals: number[], initials = finals.map(() => 0.5)): SummaryRow {
  return {
    config,
    dataset: '',
    forward: '',
    rule: '',
    seeds: finals.map((_, i) => i),
    finals,
    initials,
    final: { mean: finals.reduce((a, b) => a + b) / finals.length, std: 0 },
    best: { mean: 0, std: 0 },
    epochsTo90: { mean: 0, std: 0 },
    secondsPerEpoch: { mean: 0, std: 0 },
    diverged: [],
  };
}
