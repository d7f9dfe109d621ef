import { engine } from '../engine';
import { ArgumentError } from '../errors';
import { matMulDims } from '../geometry/matmul';
import { checkOptions } from '../options';
import type { Tensor } from '../tensor';
import { assertDType } from './creation';

export type { MatMulAttrs } from '../geometry/matmul';

/** Options of `matmul`: read an operand transposed without copying it. */
export interface MatmulOptions {
  /** Treat `a` (stored `[K, M]` or `[B, K, M]`) as its transpose. Default false. */
  readonly transposeA?: boolean;
  /** Treat `b` (stored `[N, K]` or `[B, N, K]`) as its transpose. Default false. */
  readonly transposeB?: boolean;
}

function flag(value: unknown, name: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean')
    throw new ArgumentError(`matmul: ${name} is ${String(value)}; expected a boolean`);
  return value;
}

/**
 * Matrix product of float32 tensors: `[M, K] x [K, N] -> [M, N]`, or batched
 * `[B, M, K] x [B, K, N] -> [B, M, N]` where a batch size of 1 broadcasts. The transpose flags
 * read an operand transposed at no cost (kernel `matMul`).
 *
 * @example
 * matmul(x, w);                        // [M, K] x [K, N]
 * matmul(dy, w, { transposeB: true }); // [M, N] x [K, N]ᵀ -> [M, K]
 */
export function matmul(a: Tensor, b: Tensor, options: MatmulOptions = {}): Tensor {
  assertDType(a, 'float32', 'matmul');
  assertDType(b, 'float32', 'matmul');
  checkOptions(options, { transposeA: true, transposeB: true }, 'matmul');
  const transposeA = flag(options.transposeA, 'transposeA');
  const transposeB = flag(options.transposeB, 'transposeB');
  matMulDims(a.shape, b.shape, transposeA, transposeB);
  return engine().runKernel('matMul', [a, b], { transposeA, transposeB })[0]!;
}
