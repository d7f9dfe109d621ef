import { ArgumentError } from '../errors';
import { normalizeAxis } from '../shape';
import type { Tensor } from '../tensor';
import { expectTensor, runOne } from './operands';

function softmaxLike(kernelName: string): (x: Tensor, axis?: number) => Tensor {
  return (x, axis = -1) => {
    const t = expectTensor(x, kernelName, 'x');
    if (t.rank === 0) throw new ArgumentError(`${kernelName}: got a scalar; expected a tensor of rank >= 1`);
    return runOne(kernelName, [t], { axis: normalizeAxis(axis, t.rank, kernelName) });
  };
}

/**
 * `exp(x − max) / Σ exp(x − max)` along `axis` (default −1), float32. Subtracting the maximum keeps
 * every exponent ≤ 0, so inputs of ±1000 give exact 0/1 rather than NaN.
 */
export const softmax: (x: Tensor, axis?: number) => Tensor = softmaxLike('softmax');

/** `x − max − log Σ exp(x − max)` along `axis` (default −1), float32: the stable log of `softmax`. */
export const logSoftmax: (x: Tensor, axis?: number) => Tensor = softmaxLike('logSoftmax');
