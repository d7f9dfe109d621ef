import { loadDigits, loadFashionMnist, loadMnist, onesDataset, trainTestSplit } from '@fbt/datasets/node';
import { div, slice, type Rng, type Tensor } from '@fbt/tensor';
import type { DatasetSpec } from '../experiments/types';

/** Row-aligned inputs and int32 labels of one split. */
export interface SplitTensors {
  readonly x: Tensor;
  readonly y: Tensor;
}

/** A dataset ready for training: both splits, the input shape of one example and the class count. */
export interface TrainData {
  readonly train: SplitTensors;
  readonly test: SplitTensors;
  /** Shape of one example, e.g. `[10]` or `[1, 28, 28]`. */
  readonly inputShape: readonly number[];
  readonly numClasses: number;
}

function firstRows(split: SplitTensors, count: number | undefined): SplitTensors {
  const n = split.x.shape[0]!;
  if (count === undefined || count >= n) return split;
  const rest = split.x.shape.slice(1).map(() => 0);
  return {
    x: slice(split.x, [0, ...rest], [count, ...split.x.shape.slice(1)]),
    y: slice(split.y, [0], [count]),
  };
}

/**
 * Loads the dataset of a run: the Ones set drawn and split with `rng` (80/20 by `testFraction`),
 * DIGITS split with `rng` and pixels divided by 16, MNIST/Fashion-MNIST (pixels in [0, 1]) with their
 * standard splits cut to the first `trainSize`/`testSize` examples. Data come from disk only (offline).
 */
export async function loadData(spec: DatasetSpec, rng: Rng): Promise<TrainData> {
  if (spec.name === 'ones') {
    const { x, y } = onesDataset({ d: spec.d, n: spec.n, tau: spec.tau, rng: rng.fork('ones') });
    const { train, test } = trainTestSplit(x, y, { testFraction: spec.testFraction, rng: rng.fork('split') });
    return { train, test, inputShape: [spec.d], numClasses: 2 };
  }
  if (spec.name === 'digits') {
    const { features, labels } = loadDigits();
    const { train, test } = trainTestSplit(div(features, 16), labels, {
      testFraction: spec.testFraction,
      rng: rng.fork('split'),
    });
    return { train, test, inputShape: [64], numClasses: 10 };
  }
  const set = spec.name === 'mnist' ? await loadMnist() : await loadFashionMnist();
  const train = firstRows({ x: set.train.images, y: set.train.labels }, spec.trainSize);
  const test = firstRows({ x: set.test.images, y: set.test.labels }, spec.testSize);
  // The full splits (220 MB for MNIST) are not needed once cut: free them now rather than when the
  // garbage collector gets to them, which it does not hurry to do for wasm or GPU memory.
  for (const t of [set.train.images, set.train.labels, set.test.images, set.test.labels])
    if (t !== train.x && t !== train.y && t !== test.x && t !== test.y) t.dispose();
  return { train, test, inputShape: set.train.images.shape.slice(1), numClasses: 10 };
}

/** Frees the tensors of both splits. */
export function disposeData(data: TrainData): void {
  for (const split of [data.train, data.test]) {
    split.x.dispose();
    split.y.dispose();
  }
}
