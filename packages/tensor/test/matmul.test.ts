import { describe, expect, it } from 'vitest';
import { ArgumentError, DTypeError, Rng, ShapeError, add, matmul, tensor } from '../src';
import { expectBiasRejected, uniformValues, worstError } from './helpers';

/**
 * Reference product in float64 by the textbook triple loop, reading operands stored as given
 * (transposed storage when the flag is set) with batch broadcasting.
 */
function naiveMatmul(
  a: Float32Array,
  b: Float32Array,
  dims: { batchA: number; batchB: number; m: number; n: number; k: number },
  transposeA: boolean,
  transposeB: boolean,
): Float64Array {
  const { batchA, batchB, m, n, k } = dims;
  const batch = Math.max(batchA, batchB);
  const out = new Float64Array(batch * m * n);
  for (let t = 0; t < batch; t++) {
    const aOff = (batchA === 1 ? 0 : t) * m * k;
    const bOff = (batchB === 1 ? 0 : t) * k * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let p = 0; p < k; p++) {
          const av = a[aOff + (transposeA ? p * m + i : i * k + p)]!;
          const bv = b[bOff + (transposeB ? j * k + p : p * n + j)]!;
          sum += av * bv;
        }
        out[(t * m + i) * n + j] = sum;
      }
    }
  }
  return out;
}

const TOLERANCE = 1e-5;
const ODD_SIZES = [1, 3, 7, 17, 33, 65];

describe('matmul', () => {
  it('multiplies a 2x3 by a 3x2 matrix exactly', () => {
    const a = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const b = tensor([
      [7, 8],
      [9, 10],
      [11, 12],
    ]);
    expect(matmul(a, b).toArray()).toEqual([
      [58, 64],
      [139, 154],
    ]);
    expect(matmul(a, a, { transposeB: true }).toArray()).toEqual([
      [14, 32],
      [32, 77],
    ]);
  });

  it('matches a float64 triple loop on odd sizes for all four transpose combinations', () => {
    const rng = new Rng(1);
    for (const transposeA of [false, true]) {
      for (const transposeB of [false, true]) {
        for (let trial = 0; trial < 8; trial++) {
          const m = ODD_SIZES[rng.int(ODD_SIZES.length)]!;
          const n = ODD_SIZES[rng.int(ODD_SIZES.length)]!;
          const k = ODD_SIZES[rng.int(ODD_SIZES.length)]!;
          const a = uniformValues(rng, m * k);
          const b = uniformValues(rng, k * n);
          const result = matmul(
            tensor(a, transposeA ? [k, m] : [m, k]),
            tensor(b, transposeB ? [n, k] : [k, n]),
            {
              transposeA,
              transposeB,
            },
          );
          expect(result.shape).toEqual([m, n]);
          const expected = naiveMatmul(a, b, { batchA: 1, batchB: 1, m, n, k }, transposeA, transposeB);
          expect(worstError(result.dataSync(), expected)).toBeLessThan(TOLERANCE);
        }
      }
    }
  });

  it('crosses the cache-block boundaries (K > 256, N > 512, M > 128) without error', () => {
    const rng = new Rng(2);
    const [m, n, k] = [131, 523, 300];
    const a = uniformValues(rng, m * k);
    const b = uniformValues(rng, k * n);
    for (const transposeB of [false, true]) {
      const result = matmul(tensor(a, [m, k]), tensor(b, transposeB ? [n, k] : [k, n]), { transposeB });
      const expected = naiveMatmul(a, b, { batchA: 1, batchB: 1, m, n, k }, false, transposeB);
      expect(worstError(result.dataSync(), expected)).toBeLessThan(TOLERANCE);
    }
  });

  it('multiplies batches, broadcasting a batch of 1 on either side', () => {
    const rng = new Rng(3);
    for (const [batchA, batchB] of [
      [4, 4],
      [1, 3],
      [5, 1],
      [1, 1],
    ] as const) {
      for (const transposeA of [false, true]) {
        for (const transposeB of [false, true]) {
          const [m, n, k] = [7, 17, 33];
          const a = uniformValues(rng, batchA * m * k);
          const b = uniformValues(rng, batchB * k * n);
          const result = matmul(
            tensor(a, transposeA ? [batchA, k, m] : [batchA, m, k]),
            tensor(b, transposeB ? [batchB, n, k] : [batchB, k, n]),
            { transposeA, transposeB },
          );
          expect(result.shape).toEqual([Math.max(batchA, batchB), m, n]);
          const expected = naiveMatmul(a, b, { batchA, batchB, m, n, k }, transposeA, transposeB);
          expect(worstError(result.dataSync(), expected)).toBeLessThan(TOLERANCE);
        }
      }
    }
  });

  it('handles empty dimensions: K = 0 gives zeros, M = 0 gives an empty result', () => {
    expect(
      Array.from(matmul(tensor(new Float32Array(0), [2, 0]), tensor(new Float32Array(0), [0, 3])).dataSync()),
    ).toEqual([0, 0, 0, 0, 0, 0]);
    expect(matmul(tensor(new Float32Array(0), [0, 4]), tensor(new Float32Array(8), [4, 2])).shape).toEqual([
      0, 2,
    ]);
  });

  it('names the op, both shapes and the expected form on shape errors', () => {
    const a = tensor(new Float32Array(6), [2, 3]);
    expect(() => matmul(a, tensor(new Float32Array(8), [4, 2]))).toThrow(ShapeError);
    expect(() => matmul(a, tensor(new Float32Array(8), [4, 2]))).toThrow(
      /matmul: shapes \[2, 3\] and \[4, 2\] have inner sizes K=3 and K=4; expected \[M, K\] x \[K, N\]/,
    );
    expect(() => matmul(a, a)).toThrow(/inner sizes K=3 and K=2/);
    expect(() => matmul(a, tensor(new Float32Array(8), [4, 2]), { transposeA: true })).toThrow(
      /K=2 and K=4; expected .* \(after transposeA=true, transposeB=false/,
    );
    expect(() => matmul(a, tensor(new Float32Array(6), [1, 3, 2]))).toThrow(/have ranks 2 and 3/);
    expect(() => matmul(tensor(new Float32Array(3), [3]), tensor(new Float32Array(3), [3]))).toThrow(
      /have ranks 1 and 1/,
    );
    expect(() =>
      matmul(tensor(new Float32Array(12), [2, 2, 3]), tensor(new Float32Array(18), [3, 3, 2])),
    ).toThrow(/have batch sizes 2 and 3/);
  });

  it('rejects int32 operands and non-boolean flags', () => {
    const a = tensor(new Float32Array(4), [2, 2]);
    expect(() => matmul(a, tensor(new Int32Array(4), [2, 2]))).toThrow(DTypeError);
    expect(() => matmul(a, a, { transposeA: 1 as unknown as boolean })).toThrow(ArgumentError);
  });
});

describe('matmul with a bias', () => {
  it('adds bias[j] to column j of every row (and batch), equal to the broadcast add to the bit', () => {
    const rng = new Rng(12);
    for (const [batchA, batchB, m, n, k] of [
      [1, 1, 7, 17, 33],
      [1, 1, 5, 9, 0],
      [3, 1, 4, 6, 300],
      [1, 2, 3, 5, 8],
    ] as const) {
      for (const transposeB of [false, true]) {
        const a = uniformValues(rng, batchA * m * k);
        const b = uniformValues(rng, batchB * k * n);
        const bias = tensor(uniformValues(rng, n), [n]);
        const [x, w] = [tensor(a, [batchA, m, k]), tensor(b, transposeB ? [batchB, n, k] : [batchB, k, n])];
        const fused = matmul(x, w, { transposeB, bias }).dataSync();
        expect(fused).toEqual(add(matmul(x, w, { transposeB }), bias).dataSync());
        const biasValues = bias.dataSync();
        const expected = naiveMatmul(a, b, { batchA, batchB, m, n, k }, false, transposeB).map(
          (v, i) => v + biasValues[i % n]!,
        );
        expect(worstError(fused, expected)).toBeLessThan(TOLERANCE);
      }
    }
  });

  it('rejects a bias of the wrong shape, dtype or kind, naming the expected form', () => {
    const a = tensor(new Float32Array(6), [2, 3]);
    const b = tensor(new Float32Array(12), [3, 4]);
    expectBiasRejected('matmul', 'output column', (bias) => matmul(a, b, { bias }));
  });
});
