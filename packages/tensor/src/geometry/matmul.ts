import { ShapeError } from '../errors';
import { formatShape, type Shape } from '../shape';

/** Attributes of the `matMul` kernel. */
export type MatMulAttrs = {
  /** Read A transposed (A is stored `[K, M]`). */
  readonly transposeA: boolean;
  /** Read B transposed (B is stored `[N, K]`). */
  readonly transposeB: boolean;
};

/** Sizes of a (batched) matrix product `op(A)·op(B)` after validation. */
export interface MatMulDims {
  /** Batch size of the output (1 for a 2-D product). */
  readonly batch: number;
  /** Batch sizes of A and B (1 broadcasts). */
  readonly batchA: number;
  readonly batchB: number;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  /** Output shape: `[M, N]` or `[B, M, N]`. */
  readonly outShape: number[];
}

/**
 * Checks the shapes of a matrix product and returns its sizes. A is `[M, K]` (`[K, M]` when
 * `transposeA`), B is `[K, N]` (`[N, K]` when `transposeB`); rank-3 operands carry a leading batch
 * dimension, and a batch of 1 broadcasts against the other operand's batch.
 */
export function matMulDims(a: Shape, b: Shape, transposeA: boolean, transposeB: boolean): MatMulDims {
  const expected =
    `expected [M, K] x [K, N] or [B, M, K] x [B, K, N] (after transposeA=${transposeA}, transposeB=${transposeB}; ` +
    'a batch of 1 broadcasts)';
  const fail = (why: string): never => {
    throw new ShapeError(`matmul: shapes ${formatShape(a)} and ${formatShape(b)} ${why}; ${expected}`);
  };
  if (a.length !== b.length || (a.length !== 2 && a.length !== 3))
    fail(`have ranks ${a.length} and ${b.length}`);
  const rank = a.length;
  const batchA = rank === 3 ? a[0]! : 1;
  const batchB = rank === 3 ? b[0]! : 1;
  if (batchA !== batchB && batchA !== 1 && batchB !== 1) fail(`have batch sizes ${batchA} and ${batchB}`);
  const rowsA = a[rank - 2]!;
  const colsA = a[rank - 1]!;
  const rowsB = b[rank - 2]!;
  const colsB = b[rank - 1]!;
  const [m, k] = transposeA ? [colsA, rowsA] : [rowsA, colsA];
  const [kB, n] = transposeB ? [colsB, rowsB] : [rowsB, colsB];
  if (k !== kB) fail(`have inner sizes K=${k} and K=${kB}`);
  const batch = Math.max(batchA, batchB);
  return { batch, batchA, batchB, m, n, k, outShape: rank === 3 ? [batch, m, n] : [m, n] };
}
