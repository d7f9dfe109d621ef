import { accuracy, bce, crossEntropy, mse } from '@fbt/layers';
import { cast, reshape, type Tensor } from '@fbt/tensor';
import type { LossName } from '../experiments/types';

/** A loss and the matching accuracy, both taking the model output and int32 labels `[N]`. */
export interface Objective {
  /** Scalar loss of a batch. */
  loss(output: Tensor, labels: Tensor): Tensor;
  /** Fraction of the batch classified correctly. */
  accuracy(output: Tensor, labels: Tensor): number;
}

function asColumnTargets(labels: Tensor): Tensor {
  return reshape(cast(labels, 'float32'), [labels.shape[0]!, 1]);
}

/**
 * The objective of a loss name: `cross-entropy` on `[N, C]` logits (argmax accuracy); `bce` and `mse`
 * on a single `[N, 1]` output in [0, 1] against 0/1 targets (accuracy thresholds the output at ½).
 */
export function objectiveFor(loss: LossName): Objective {
  if (loss === 'cross-entropy') {
    return { loss: (out, y) => crossEntropy(out, y), accuracy: (out, y) => accuracy(out, y) };
  }
  const lossFn = loss === 'bce' ? bce : mse;
  return {
    loss: (out, y) => lossFn(out, asColumnTargets(y)),
    accuracy: (out, y) => accuracy(out, y, { threshold: 0.5 }),
  };
}
