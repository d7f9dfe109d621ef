import { matmul, type Tensor } from '@fbt/tensor';
import { registerGradient } from '../registry';
import { unbroadcast } from './unbroadcast';

/** Attrs of `matMul`. */
interface MatMulAttrs {
  readonly transposeA?: boolean;
  readonly transposeB?: boolean;
}

const mm = (a: Tensor, b: Tensor, transposeA: boolean, transposeB: boolean): Tensor =>
  matmul(a, b, { transposeA, transposeB });

/**
 * Registers the gradient of `matMul` for the four transpose flags. With `C = op(A)·op(B) + bias`:
 * `dA = dC·op(B)ᵀ` (transposed back when A was), `dB = op(A)ᵀ·dC` (likewise), each one `matmul` with
 * flags, so no transposed copy is made; a broadcast batch of 1 is summed back; the bias gets dC
 * summed over every row (the same reduction as the gradient of the broadcast add it replaces).
 */
export function registerMatMulGradients(): void {
  registerGradient<MatMulAttrs>('matMul', (dy, [a, b, bias], attrs) => {
    const tA = attrs.transposeA === true;
    const tB = attrs.transposeB === true;
    return [
      a!.requiresGrad ? unbroadcast(tA ? mm(b!, dy, tB, true) : mm(dy, b!, false, !tB), a!.shape) : null,
      b!.requiresGrad ? unbroadcast(tB ? mm(dy, a!, true, tA) : mm(a!, dy, !tA, false), b!.shape) : null,
      ...(bias === undefined ? [] : [bias.requiresGrad ? unbroadcast(dy, bias.shape) : null]),
    ];
  });
}
