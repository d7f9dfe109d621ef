import { exp, mul, negLogLikelihoodBackward, sub, sum } from '@fbt/tensor';
import { registerGradient } from '../registry';

/** Attrs of `softmax` and `logSoftmax`. */
interface SoftmaxAttrs {
  readonly axis: number;
}

/**
 * Registers the gradients of `softmax` and `logSoftmax` (both from the output alone) and of
 * `negLogLikelihood` (for the log-probabilities; labels get none).
 */
export function registerSoftmaxGradients(): void {
  // dx = y ⊙ (dy − Σ dy ⊙ y)
  registerGradient<SoftmaxAttrs>('softmax', (dy, _inputs, { axis }, [y]) => [
    mul(y!, sub(dy, sum(mul(dy, y!), axis, true))),
  ]);
  // dx = dy − softmax(x) ⊙ Σ dy, with softmax(x) = exp(y)
  registerGradient<SoftmaxAttrs>('logSoftmax', (dy, _inputs, { axis }, [y]) => [
    sub(dy, mul(exp(y!), sum(dy, axis, true))),
  ]);
  registerGradient('negLogLikelihood', (dy, [logProbs, labels]) => [
    logProbs!.requiresGrad ? negLogLikelihoodBackward(dy, labels!, logProbs!.shape[1]!) : null,
    null,
  ]);
}
