import { engine } from '../engine';
import { ArgumentError, ShapeError } from '../errors';
import { matMulDims } from '../geometry/matmul';
import { checkOptions } from '../options';
import { formatShape } from '../shape';
import { Tensor } from '../tensor';
import { assertDType } from './creation';

export type { MatMulAttrs } from '../geometry/matmul';

/** Options of `matmul`: read an operand transposed without copying it; add a bias. */
export interface MatmulOptions {
  /** Treat `a` (stored `[K, M]` or `[B, K, M]`) as its transpose. Default false. */
  readonly transposeA?: boolean;
  /** Treat `b` (stored `[N, K]` or `[B, N, K]`) as its transpose. Default false. */
  readonly transposeB?: boolean;
  /**
   * Float32 `[N]`, added to every row of the product (PyTorch's `F.linear(x, w, bias)` is
   * `matmul(x, w, { transposeB: true, bias })`); default none. Each sum is rounded to float32
   * first, then the bias added, so the result equals `add(matmul(a, b), bias)` to the bit, without
   * its pass over the output.
   */
  readonly bias?: Tensor;
}

function flag(value: unknown, name: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean')
    throw new ArgumentError(`matmul: ${name} is ${String(value)}; expected a boolean`);
  return value;
}

/**
 * Matrix product of float32 tensors: `[M, K] x [K, N] -> [M, N]`, or batched
 * `[B, M, K] x [B, K, N] -> [B, M, N]` where a batch size of 1 broadcasts, plus `bias` `[N]` on
 * every row when given. The transpose flags read an operand transposed at no cost (kernel
 * `matMul`: inputs a, b and the bias when given).
 *
 * @example
 * matmul(x, w);                                // [M, K] x [K, N]
 * matmul(dy, w, { transposeB: true });         // [M, N] x [K, N]ᵀ -> [M, K]
 * matmul(x, weight, { transposeB: true, bias }); // a Linear layer: x·Wᵀ + b
 */
export function matmul(a: Tensor, b: Tensor, options: MatmulOptions = {}): Tensor {
  assertDType(a, 'float32', 'matmul');
  assertDType(b, 'float32', 'matmul');
  checkOptions(options, { transposeA: true, transposeB: true, bias: true }, 'matmul');
  const transposeA = flag(options.transposeA, 'transposeA');
  const transposeB = flag(options.transposeB, 'transposeB');
  const { n } = matMulDims(a.shape, b.shape, transposeA, transposeB);
  const attrs = { transposeA, transposeB };
  const bias = options.bias;
  if (bias === undefined) return engine().runKernel('matMul', [a, b], attrs)[0]!;
  if (!(bias instanceof Tensor))
    throw new ArgumentError(`matmul: bias is ${String(bias)}; expected a float32 Tensor of shape [${n}]`);
  assertDType(bias, 'float32', 'matmul bias');
  if (bias.rank !== 1 || bias.shape[0] !== n) {
    throw new ShapeError(
      `matmul: bias of shape ${formatShape(bias.shape)}; expected [${n}] (one per output column)`,
    );
  }
  return engine().runKernel('matMul', [a, b, bias], attrs)[0]!;
}
