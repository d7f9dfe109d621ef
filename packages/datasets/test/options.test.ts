import { describe, expect, it } from 'vitest';
import { ArgumentError, tensor } from '@fbt/tensor';
import {
  DataLoader,
  blobs,
  normalizeTransform,
  onesDataset,
  spirals,
  trainTestSplit,
  twoMoons,
  xor,
} from '../src';

const x = tensor([1, 2, 3, 4], [4, 1]);
const y = tensor(new Int32Array([0, 1, 0, 1]), [4]);

const cases: [string, () => unknown, string][] = [
  [
    'DataLoader',
    () => new DataLoader(x, y, { batchSize: 2, drop_last: true } as never),
    'batchSize, shuffle, rng, dropLast, transforms, keepBatches',
  ],
  [
    'trainTestSplit',
    () => trainTestSplit(x, y, { testSize: 1, rng: 0, stratify: y } as never),
    'testFraction, testSize, rng',
  ],
  ['onesDataset', () => onesDataset({ n: 4, d: 3, rng: 0, threshold: 0.5 } as never), 'n, rng, d, tau'],
  ['xor', () => xor({ n: 4, rng: 0, sigma: 0 } as never), 'n, rng, noise'],
  ['twoMoons', () => twoMoons({ n: 4, rng: 0, seed: 1 } as never), 'n, rng, noise'],
  ['spirals', () => spirals({ n: 4, rng: 0, arms: 3 } as never), 'n, rng, noise, classes, turns'],
  ['blobs', () => blobs({ n: 4, rng: 0, clusterStd: 2 } as never), 'n, rng, centers, d, std, box'],
  ['normalizeTransform', () => normalizeTransform({ mean: 0, std: 1, eps: 0 } as never), 'mean, std'],
];

describe('unknown option keys are refused', () => {
  for (const [op, call, valid] of cases) {
    it(op, () => {
      expect(call).toThrow(ArgumentError);
      expect(call).toThrow(new RegExp(`^${op}: unknown option '\\w+'; valid options: ${valid}$`));
    });
  }
});
