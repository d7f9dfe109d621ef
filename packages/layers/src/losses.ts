import { customOp } from '@fbt/autograd';
import {
  ArgumentError,
  DTypeError,
  ShapeError,
  abs,
  add,
  checkOptions,
  clamp,
  div,
  exp,
  formatShape,
  log,
  logSoftmax,
  maximum,
  mean,
  mul,
  neg,
  negLogLikelihood,
  relu,
  shapesEqual,
  sub,
  sum,
  type Tensor,
} from '@fbt/tensor';

/** How per-element losses are combined: their mean (default), their sum, or not at all. */
export type Reduction = 'mean' | 'sum' | 'none';

/** Options of every loss. */
export interface LossOptions {
  /** Default `'mean'`. */
  readonly reduction?: Reduction;
}

const REDUCTIONS: readonly Reduction[] = ['mean', 'sum', 'none'];

/** The reduction `options` ask for, refusing unknown keys and values before any loss is computed. */
function reductionOf(options: LossOptions, op: string): Reduction {
  checkOptions(options, { reduction: true }, op);
  const reduction = options.reduction ?? 'mean';
  if (!REDUCTIONS.includes(reduction)) {
    throw new ArgumentError(
      `${op}: reduction '${String(reduction)}'; expected one of ${REDUCTIONS.join(', ')}`,
    );
  }
  return reduction;
}

function reduce(losses: Tensor, reduction: Reduction): Tensor {
  if (reduction === 'none') return losses;
  return reduction === 'sum' ? sum(losses) : mean(losses);
}

function assertClassScores(scores: Tensor, labels: Tensor, op: string, what: string): void {
  if (scores.dtype !== 'float32' || scores.rank !== 2) {
    throw new ShapeError(
      `${op}: ${what} of dtype ${scores.dtype} and shape ${formatShape(scores.shape)}; expected float32 [N, C]`,
    );
  }
  if (labels.dtype !== 'int32')
    throw new DTypeError(`${op}: labels are ${labels.dtype}; expected int32 class indices`);
  const [n, c] = scores.shape as [number, number];
  if (labels.rank !== 1 || labels.shape[0] !== n) {
    throw new ShapeError(
      `${op}: labels of shape ${formatShape(labels.shape)} for ${what} ${formatShape(scores.shape)}; expected [${n}]`,
    );
  }
  const values = labels.dataSync();
  for (let i = 0; i < values.length; i++) {
    const label = values[i]!;
    if (label < 0 || label >= c)
      throw new ArgumentError(
        `${op}: label ${label} at row ${i} is out of range; expected a class in [0, ${c})`,
      );
  }
}

function assertSameShape(input: Tensor, target: Tensor, op: string): void {
  if (input.dtype !== 'float32' || target.dtype !== 'float32') {
    throw new DTypeError(
      `${op}: input is ${input.dtype} and target ${target.dtype}; expected float32 for both`,
    );
  }
  if (!shapesEqual(input.shape, target.shape)) {
    throw new ShapeError(
      `${op}: input of shape ${formatShape(input.shape)} and target of shape ${formatShape(target.shape)}; expected equal shapes`,
    );
  }
}

/**
 * Negative log-likelihood of int32 `labels` `[N]` under log-probabilities `[N, C]`:
 * −logProbs[i, labels[i]] per row.
 */
export function nllLoss(logProbs: Tensor, labels: Tensor, options: LossOptions = {}): Tensor {
  const reduction = reductionOf(options, 'nllLoss');
  assertClassScores(logProbs, labels, 'nllLoss', 'log-probabilities');
  return reduce(negLogLikelihood(logProbs, labels), reduction);
}

/**
 * Softmax cross-entropy of logits `[N, C]` and int32 labels `[N]`, computed stably through
 * logSoftmax: −log softmax(logits)[i, labels[i]] per row.
 *
 * @example
 * const loss = crossEntropy(model.call(x), y);
 */
export function crossEntropy(logits: Tensor, labels: Tensor, options: LossOptions = {}): Tensor {
  const reduction = reductionOf(options, 'crossEntropy');
  assertClassScores(logits, labels, 'crossEntropy', 'logits');
  return reduce(negLogLikelihood(logSoftmax(logits, 1), labels), reduction);
}

/** Each logarithm in `bce` is bounded below by this value, as in PyTorch's `BCELoss`. */
export const BCE_LOG_FLOOR = -100;
/** The smallest p·(1 − p) that `bce`'s gradient divides by, as in PyTorch's `BCELoss` backward. */
export const BCE_GRAD_EPS = 1e-12;

/**
 * Per-element BCE with PyTorch's semantics. Forward: −(y·max(log p, −100) + (1−y)·max(log(1−p), −100)).
 * Backward: ∂/∂p = (p − y) / max(p·(1 − p), 1e-12), never zero for a wrong prediction however saturated
 * (a clamp of p before the logarithms would give such a sample no gradient at all); ∂/∂y = log(1−p) − log p
 * with the same floors.
 */
const bceElementwise = customOp<Record<string, never>>({
  name: 'bce',
  forward: ([p, y]) => {
    const logP = clamp(log(p!), BCE_LOG_FLOOR, Infinity);
    const logQ = clamp(log(sub(1, p!)), BCE_LOG_FLOOR, Infinity);
    return { output: neg(add(mul(y!, logP), mul(sub(1, y!), logQ))), saved: [logP, logQ] };
  },
  backward: ({ grad, inputs: [p, y], saved: [logP, logQ] }) => {
    const variance = maximum(mul(p!, sub(1, p!)), BCE_GRAD_EPS);
    return [mul(grad, div(sub(p!, y!), variance)), mul(grad, sub(logQ!, logP!))];
  },
});

/**
 * Binary cross-entropy of probabilities and float32 0/1 (or soft) targets of the same shape, with
 * PyTorch's `BCELoss` semantics: −(y·log p + (1−y)·log(1−p)) with each logarithm floored at −100, and
 * the gradient (p − y) / max(p(1 − p), 1e-12) with respect to p.
 */
export function bce(probabilities: Tensor, targets: Tensor, options: LossOptions = {}): Tensor {
  const reduction = reductionOf(options, 'bce');
  assertSameShape(probabilities, targets, 'bce');
  return reduce(bceElementwise([probabilities, targets], {}), reduction);
}

/**
 * Binary cross-entropy from logits x and targets y of the same shape, in the stable form
 * max(x, 0) − x·y + log(1 + exp(−|x|)).
 */
export function bceWithLogits(logits: Tensor, targets: Tensor, options: LossOptions = {}): Tensor {
  const reduction = reductionOf(options, 'bceWithLogits');
  assertSameShape(logits, targets, 'bceWithLogits');
  const softplusTail = log(add(exp(neg(abs(logits))), 1));
  return reduce(add(sub(relu(logits), mul(logits, targets)), softplusTail), reduction);
}

/** Mean squared error: (input − target)² per element. */
export function mse(input: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  const reduction = reductionOf(options, 'mse');
  assertSameShape(input, target, 'mse');
  const diff = sub(input, target);
  return reduce(mul(diff, diff), reduction);
}
