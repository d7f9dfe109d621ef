import { describe, expect, it } from 'vitest';
import {
  ArgumentError,
  DTypeError,
  ShapeError,
  broadcastTo,
  mul,
  neg,
  negLogLikelihood,
  negLogLikelihoodBackward,
  oneHot,
  reshape,
  sum,
  tensor,
  tidy,
  withBackend,
  type Tensor,
} from '../src';
import { randomValues, WASM_VARIANT_BACKENDS } from './wasm-helpers';

const ints = (values: number[]): Tensor => tensor(Int32Array.from(values), [values.length], 'int32');
/** The values with every NaN made one (a NaN's sign bit is not a value: JS and wasm set it differently); ±0 stay apart. */
const bits = (t: Tensor): number[] =>
  Array.from(new Uint32Array(t.dataSync().slice().buffer), (b) =>
    (b & 0x7fffffff) > 0x7f800000 ? 0x7fc00000 : b,
  );

// Rows with a NaN, an infinity and signed zeros off and on the label, and ordinary values.
const [n, c] = [6, 5];
const scores = randomValues(n * c, 21);
scores.set([NaN, -0, 0, -Infinity, -0], 0);
scores.set([0, -0, 0, -0, 0], 5);
scores.set([-Infinity, -1, -2, -3, -4], 10);
const labels = [1, 3, 2, 4, 0, 4];
const dy = Float32Array.of(0.25, -0.5, 0, -0, NaN, 3);

describe('negLogLikelihood', () => {
  it('picks −logProbs[i, labels[i]] per row', () => {
    const logProbs = tensor(Float32Array.of(-0.5, -1, -2, -3, -0.25, -4), [2, 3]);
    expect(Array.from(negLogLikelihood(logProbs, ints([2, 0])).dataSync())).toEqual([2, 3]);
  });

  it.each(['cpu', ...WASM_VARIANT_BACKENDS])(
    'equals the one-hot product it replaces to the bit (a NaN is a NaN), infinities and signed zeros included, on %s',
    (backend) => {
      withBackend(backend, () =>
        tidy(() => {
          const logProbs = tensor(scores.slice(), [n, c]);
          const y = ints(labels);
          const product = neg(sum(mul(logProbs, oneHot(y, c)), 1));
          expect(bits(negLogLikelihood(logProbs, y))).toEqual(bits(product));
          // The gradient: the one-hot product's backward, −dy broadcast along the row times the one-hot row.
          const g = tensor(dy.slice(), [n]);
          const chain = mul(broadcastTo(reshape(neg(g), [n, 1]), [n, c]), oneHot(y, c));
          expect(bits(negLogLikelihoodBackward(g, y, c))).toEqual(bits(chain));
        }),
      );
    },
  );

  it('rejects bad operands in one line naming the expected form', () => {
    const logProbs = tensor(new Float32Array(6), [2, 3]);
    expect(() => negLogLikelihood(tensor(new Int32Array(6), [2, 3], 'int32'), ints([0, 1]))).toThrow(
      DTypeError,
    );
    expect(() => negLogLikelihood(tensor(new Float32Array(6), [6]), ints([0, 1]))).toThrow(
      /^negLogLikelihood: logProbs of shape \[6\]; expected \[N, C\]$/,
    );
    expect(() => negLogLikelihood(logProbs, tensor(Float32Array.of(0, 1), [2]))).toThrow(DTypeError);
    expect(() => negLogLikelihood(logProbs, ints([0, 1, 2]))).toThrow(
      /^negLogLikelihood: labels of shape \[3\]; expected \[2\]$/,
    );
    expect(() => negLogLikelihood(logProbs, [0, 1] as unknown as Tensor)).toThrow(
      /^negLogLikelihood: labels is an array; expected a Tensor$/,
    );
    expect(() => negLogLikelihood(logProbs, ints([0, 3]))).toThrow(
      'negLogLikelihood: label 3 at position 1 is out of range for 3 classes; expected an integer in [0, 3)',
    );
    const g = tensor(new Float32Array(2), [2]);
    expect(() => negLogLikelihoodBackward(g, ints([0, 1]), 0)).toThrow(
      'negLogLikelihoodBackward: classes 0; expected a positive integer',
    );
    expect(() => negLogLikelihoodBackward(tensor(new Float32Array(2), [1, 2]), ints([0, 1]), 3)).toThrow(
      ShapeError,
    );
    expect(() => negLogLikelihoodBackward(g, ints([0, -1]), 3)).toThrow(ArgumentError);
  });
});
