import { describe, expect, it } from 'vitest';
import { engine, type Backend } from '@fbt/tensor';
import { jamming, jammingConfigId } from '../src/experiments/jamming';
import type { RunSpec } from '../src/experiments/types';
import { trainRun } from '../src/train/train-run';

/**
 * A run frees everything it allocated: the full dataset it cut its subset from, the subsets, the
 * model, the optimizer state and the probe batch. On wasm that memory is invisible to the garbage
 * collector, so a worker training run after run used to grow past 2 GiB and fail.
 */
describe('trainRun frees its tensors', () => {
  it.each(['wasm', 'cpu'])(
    'a LeNet-5 run on %s (MNIST subset, direction probe) leaves no live tensor',
    async (backend) => {
      const config = jamming.quick.spec.configs.find(
        (c) => c.id === jammingConfigId('mnist', 'relu', 'fullJam'),
      )!;
      const run: RunSpec = {
        experiment: 'jamming',
        config: config.id,
        seed: 0,
        tier: 'quick',
        backend,
        settings: {
          ...config.settings,
          dataset: { name: 'mnist', trainSize: 64, testSize: 32 },
          epochs: 1,
          batchSize: 32,
          probe: true,
        },
      };
      const live = (): number[] =>
        ['cpu', 'wasm'].map((name) => (engine().findBackend(name) as Backend).numDataIds());
      const before = live();
      const epochs: number[] = [];
      await trainRun(run, (m) => epochs.push(m.epoch));
      expect(epochs).toEqual([0, 1]);
      expect(live()).toEqual(before);
    },
  );
});
