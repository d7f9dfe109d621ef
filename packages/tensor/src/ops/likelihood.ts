import { ArgumentError, ShapeError } from '../errors';
import { formatShape } from '../shape';
import type { Tensor } from '../tensor';
import { assertDType } from './creation';
import { expectTensor, runOne } from './operands';

/** Checks int32 `labels` `[N]` for `n` rows, naming `op`. */
function assertLabels(labels: Tensor, n: number, op: string): void {
  assertDType(labels, 'int32', `${op} labels`);
  if (labels.rank !== 1 || labels.shape[0] !== n) {
    throw new ShapeError(`${op}: labels of shape ${formatShape(labels.shape)}; expected [${n}]`);
  }
}

/**
 * The per-row negative log-likelihood `−logProbs[i, labels[i]]` of float32 log-probabilities
 * `[N, C]` and int32 class labels `[N]` in `[0, C)`, giving `[N]` (PyTorch's
 * `F.nll_loss(logProbs, labels, reduction='none')`). Computed as the float64 sum of the row times
 * the label's one-hot row, negated, so it equals `neg(sum(mul(logProbs, oneHot(labels, C)), 1))`
 * to the bit (a NaN or infinity anywhere in a row gives NaN, as there; a NaN's sign bit may differ)
 * in one kernel, without the one-hot matrix. Kernel `negLogLikelihood`; a label out of range throws, naming its row.
 *
 * @example
 * const losses = negLogLikelihood(logSoftmax(logits, 1), labels); // [N]
 */
export function negLogLikelihood(logProbs: Tensor, labels: Tensor): Tensor {
  const op = 'negLogLikelihood';
  const scores = expectTensor(logProbs, op, 'logProbs');
  assertDType(scores, 'float32', op);
  if (scores.rank !== 2)
    throw new ShapeError(`${op}: logProbs of shape ${formatShape(scores.shape)}; expected [N, C]`);
  assertLabels(expectTensor(labels, op, 'labels'), scores.shape[0]!, op);
  return runOne(op, [scores, labels]);
}

/**
 * The gradient of `negLogLikelihood` with respect to its log-probabilities: `[N, classes]` holding
 * `−dy[i]` at `[i, labels[i]]` and `−dy[i]·0` (a signed zero) elsewhere, the values the one-hot
 * product's gradient gives. Kernel `negLogLikelihoodBackward`.
 */
export function negLogLikelihoodBackward(dy: Tensor, labels: Tensor, classes: number): Tensor {
  const op = 'negLogLikelihoodBackward';
  const grad = expectTensor(dy, op, 'dy');
  assertDType(grad, 'float32', op);
  if (grad.rank !== 1) throw new ShapeError(`${op}: dy of shape ${formatShape(grad.shape)}; expected [N]`);
  assertLabels(expectTensor(labels, op, 'labels'), grad.shape[0]!, op);
  if (!Number.isInteger(classes) || classes <= 0)
    throw new ArgumentError(`${op}: classes ${classes}; expected a positive integer`);
  return runOne(op, [grad, labels], { classes });
}
