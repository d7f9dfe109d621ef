import { loadMnist } from '@fbt/datasets/node';
import type { LabelledBatch } from '@fbt/layers';

/** The training and test splits an epoch is timed on: inputs `x` `[N, 1, 28, 28]`, int32 labels `y`. */
export interface EpochData {
  readonly train: LabelledBatch;
  readonly test: LabelledBatch;
}

/** Full MNIST (60 000 training and 10 000 test images, pixels in [0, 1]), from disk. */
export async function loadEpochData(): Promise<EpochData> {
  const { train, test } = await loadMnist();
  return { train: { x: train.images, y: train.labels }, test: { x: test.images, y: test.labels } };
}

/** Frees the tensors of both splits. */
export function disposeEpochData(data: EpochData): void {
  for (const split of [data.train, data.test]) {
    split.x.dispose();
    split.y.dispose();
  }
}
