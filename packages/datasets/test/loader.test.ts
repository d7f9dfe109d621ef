import { describe, expect, it } from 'vitest';
import { ArgumentError, DTypeError, Rng, ShapeError, tensor, type Tensor } from '@fbt/tensor';
import {
  DataLoader,
  flattenTransform,
  normalizeTransform,
  oneHotTransform,
  scaleTransform,
  trainTestSplit,
  type Batch,
} from '../src';

/** x row i = [i, i + 0.5] (rows are recognisable), y = i mod 3. */
function toy(n: number): { x: Tensor; y: Tensor } {
  const x = new Float32Array(2 * n);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    x[2 * i] = i;
    x[2 * i + 1] = i + 0.5;
    y[i] = i % 3;
  }
  return { x: tensor(x, [n, 2]), y: tensor(y, [n]) };
}

function firstColumn(batch: Batch): number[] {
  return Array.from(batch.x.dataSync()).filter((_, k) => k % 2 === 0);
}

describe('trainTestSplit', () => {
  it('partitions the rows, keeps x and y aligned, and is reproducible', () => {
    const { x, y } = toy(10);
    const split = trainTestSplit(x, y, { testFraction: 0.3, rng: 1 });
    expect(split.train.x.shape).toEqual([7, 2]);
    expect(split.test.x.shape).toEqual([3, 2]);
    const ids = [...split.train.x.dataSync(), ...split.test.x.dataSync()].filter((_, k) => k % 2 === 0);
    expect([...ids].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const labels = [...split.train.y.dataSync(), ...split.test.y.dataSync()];
    ids.forEach((id, k) => expect(labels[k]).toBe(id % 3));
    const again = trainTestSplit(x, y, { testSize: 3, rng: new Rng(1) });
    expect(Array.from(again.test.x.dataSync())).toEqual(Array.from(split.test.x.dataSync()));
  });

  it('rejects bad options and misaligned tensors', () => {
    const { x, y } = toy(4);
    expect(() => trainTestSplit(x, y, { rng: 1 })).toThrow(/expected exactly one/);
    expect(() => trainTestSplit(x, y, { testFraction: 1, rng: 1 })).toThrow(
      /testFraction=1; expected a number in \(0, 1\)/,
    );
    expect(() => trainTestSplit(x, y, { testSize: 5, rng: 1 })).toThrow(/testSize=5 for 4 rows/);
    expect(() => trainTestSplit(x, toy(5).y, { testSize: 1, rng: 1 })).toThrow(ShapeError);
  });
});

describe('DataLoader', () => {
  it('batches rows in order without shuffling, with a short last batch', () => {
    const { x, y } = toy(7);
    const batches = [...new DataLoader(x, y, { batchSize: 3, keepBatches: true })];
    expect(batches.map((b) => b.size)).toEqual([3, 3, 1]);
    expect(batches.map((b) => b.index)).toEqual([0, 1, 2]);
    expect(Array.from(batches[1]!.x.dataSync())).toEqual([3, 3.5, 4, 4.5, 5, 5.5]);
    expect(batches[1]!.x.shape).toEqual([3, 2]);
    expect(Array.from(batches[2]!.y.dataSync())).toEqual([0]);
    expect([...new DataLoader(x, y, { batchSize: 3, dropLast: true })].map((b) => b.size)).toEqual([3, 3]);
  });

  it('same seed gives the same batches in the same order; epochs differ; every row once per epoch', () => {
    const { x, y } = toy(50);
    const run = (seed: number): number[][][] => {
      const loader = new DataLoader(x, y, { batchSize: 8, shuffle: true, rng: seed, keepBatches: true });
      return [0, 1, 2].map(() => [...loader].map(firstColumn));
    };
    const a = run(11);
    expect(run(11)).toEqual(a);
    expect(run(12)).not.toEqual(a);
    expect(a[1]).not.toEqual(a[0]);
    for (const epoch of a)
      expect(epoch.flat().sort((p, q) => p - q)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    // replaying an epoch by number gives the same batches
    const loader = new DataLoader(x, y, { batchSize: 8, shuffle: true, rng: new Rng(11), keepBatches: true });
    expect([...loader.epoch(2)].map(firstColumn)).toEqual(a[2]);
  });

  it('keeps labels aligned with their rows after shuffling, for NCHW images too', () => {
    const n = 12;
    const images = new Float32Array(n * 2 * 3 * 3);
    for (let i = 0; i < images.length; i++) images[i] = Math.floor(i / 18);
    const labels = Int32Array.from({ length: n }, (_, i) => i);
    const loader = new DataLoader(tensor(images, [n, 2, 3, 3]), tensor(labels, [n]), {
      batchSize: 5,
      shuffle: true,
      rng: 3,
    });
    for (const batch of loader) {
      expect(batch.x.shape).toEqual([batch.size, 2, 3, 3]);
      const xs = batch.x.dataSync();
      batch.y
        .dataSync()
        .forEach((label, r) =>
          expect(xs.subarray(r * 18, (r + 1) * 18).every((v) => v === label)).toBe(true),
        );
    }
  });

  it('applies scale, normalize, flatten and one-hot transforms', () => {
    const images = Float32Array.from({ length: 2 * 2 * 2 }, (_, i) => i * 10); // [2, 2, 1, 2]
    const loader = new DataLoader(tensor(images, [2, 2, 1, 2]), tensor(new Int32Array([2, 0]), [2]), {
      batchSize: 2,
      keepBatches: true,
      transforms: [
        scaleTransform(0.1),
        normalizeTransform({ mean: [1, 2], std: [2, 4] }),
        flattenTransform(),
        oneHotTransform(3),
      ],
    });
    const [batch] = [...loader];
    expect(batch!.x.shape).toEqual([2, 4]);
    // sample 0: channels [0, 1] → (v-1)/2 and [2, 3] → (v-2)/4; sample 1: [4, 5] and [6, 7]
    expect(Array.from(batch!.x.dataSync())).toEqual([-0.5, 0, 0, 0.25, 1.5, 2, 1, 1.25]);
    expect(batch!.y.shape).toEqual([2, 3]);
    expect(batch!.y.dtype).toBe('float32');
    expect(Array.from(batch!.y.dataSync())).toEqual([0, 0, 1, 1, 0, 0]);
  });

  it('gives each batch its own storage', () => {
    const { x, y } = toy(4);
    const [first, second] = [
      ...new DataLoader(x, y, { batchSize: 2, transforms: [scaleTransform(2)], keepBatches: true }),
    ];
    expect(Array.from(first!.x.dataSync())).toEqual([0, 1, 2, 3]);
    expect(Array.from(second!.x.dataSync())).toEqual([4, 5, 6, 7]);
    expect(Array.from(x.dataSync())).toEqual([0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5]);
  });

  it('rejects bad options and mismatched transforms', () => {
    const { x, y } = toy(4);
    expect(() => new DataLoader(x, y, { batchSize: 0 })).toThrow(/batchSize=0; expected a positive integer/);
    expect(() => new DataLoader(x, y, { batchSize: 2, shuffle: true })).toThrow(/no rng was given/);
    expect(() => new DataLoader(x, toy(3).y, { batchSize: 2 })).toThrow(ShapeError);
    expect(() => new DataLoader(y, y, { batchSize: 2, transforms: [scaleTransform(2)] })).toThrow(DTypeError);
    expect(() => new DataLoader(x, x, { batchSize: 2, transforms: [oneHotTransform(3)] })).toThrow(
      DTypeError,
    );
    expect(
      () =>
        new DataLoader(x, y, { batchSize: 2, transforms: [normalizeTransform({ mean: [0, 0, 0], std: 1 })] }),
    ).toThrow(/3 mean values for samples of shape \[2\]; expected 1 or 2/);
    expect(() => normalizeTransform({ mean: 0, std: 0 })).toThrow(ArgumentError);
    const badLabels = new DataLoader(x, tensor(new Int32Array([0, 1, 5, 2]), [4]), {
      batchSize: 4,
      transforms: [oneHotTransform(3)],
    });
    expect(() => [...badLabels]).toThrow(/oneHotTransform: label 5 in batch row 2; expected 0..2/);
    expect(() => new DataLoader(x, y, { batchSize: 2 }).order(-1)).toThrow(/epoch=-1/);
  });
});
