import { describe, expect, it } from 'vitest';
import { backward, gradCheck } from '@fbt/autograd';
import {
  DTypeError,
  Rng,
  ShapeError,
  logSoftmax,
  mean,
  mul,
  neg,
  oneHot,
  randn,
  registerWasmBackend,
  sum,
  tensor,
  withBackend,
  type Tensor,
} from '@fbt/tensor';
import { bce, bceWithLogits, crossEntropy, mse, nllLoss } from '../src';
import { values } from './helpers';

const logits = tensor([
  [2, 0, -1],
  [0.5, 1.5, 0],
]);
const labels = tensor(new Int32Array([0, 2]), [2]);

function logSumExp(row: number[]): number {
  const m = Math.max(...row);
  return m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
}

describe('losses', () => {
  it('crossEntropy is −log softmax at the label, with every reduction', () => {
    const row0 = logSumExp([2, 0, -1]) - 2;
    const row1 = logSumExp([0.5, 1.5, 0]) - 0;
    const none = values(crossEntropy(logits, labels, { reduction: 'none' }));
    expect(none[0]).toBeCloseTo(row0, 6);
    expect(none[1]).toBeCloseTo(row1, 6);
    expect(crossEntropy(logits, labels).item()).toBeCloseTo((row0 + row1) / 2, 6);
    expect(crossEntropy(logits, labels, { reduction: 'sum' }).item()).toBeCloseTo(row0 + row1, 6);
    // Stable for huge logits.
    expect(crossEntropy(tensor([[1000, 0]]), tensor(new Int32Array([1]), [1])).item()).toBeCloseTo(1000, 3);
    expect(gradCheck((z) => crossEntropy(z!, labels), [logits]).ok).toBe(true);
  });

  it.each(['cpu', 'wasm'])(
    'crossEntropy and its gradient are the one-hot product they were, to the bit, on %s',
    (backend) => {
      if (backend === 'wasm' && !registerWasmBackend()) throw new Error('no WebAssembly SIMD here');
      const bitsOf = (t: Tensor): number[] => Array.from(new Uint32Array(t.dataSync().slice().buffer));
      const run = (loss: (z: Tensor, y: Tensor) => Tensor): number[][] =>
        withBackend(backend, () => {
          const z = randn([64, 10], new Rng(5), 0, 3);
          z.requiresGrad = true;
          const y = tensor(
            Int32Array.from({ length: 64 }, (_, i) => (i * 7) % 10),
            [64],
          );
          const value = loss(z, y);
          backward(value);
          return [bitsOf(value), bitsOf(z.grad!)];
        });
      const oneHotProduct = (z: Tensor, y: Tensor): Tensor =>
        mean(neg(sum(mul(logSoftmax(z, 1), oneHot(y, 10)), 1)));
      expect(run((z, y) => crossEntropy(z, y))).toEqual(run(oneHotProduct));
    },
  );

  it('nllLoss picks −logProbs at the label', () => {
    const logProbs = tensor([
      [-0.1, -2.3],
      [-1.2, -0.4],
    ]);
    const y = tensor(new Int32Array([1, 0]), [2]);
    expect(values(nllLoss(logProbs, y, { reduction: 'none' }))).toEqual([2.3, 1.2].map(Math.fround));
    expect(nllLoss(logProbs, y).item()).toBeCloseTo(1.75, 6);
  });

  it("bce has PyTorch BCELoss's values: each logarithm floored at −100", () => {
    const p = tensor([0.9, 0.2, 0, 1, 0, 1]);
    const y = tensor([1, 0, 0, 1, 1, 0]);
    const none = values(bce(p, y, { reduction: 'none' }));
    expect(none[0]).toBeCloseTo(-Math.log(0.9), 6);
    expect(none[1]).toBeCloseTo(-Math.log(0.8), 6);
    expect(Math.abs(none[2]!)).toBe(0);
    expect(Math.abs(none[3]!)).toBe(0);
    expect(none[4]).toBe(100);
    expect(none[5]).toBe(100);
  });

  it("bce's gradient is PyTorch's (p − y) / max(p(1 − p), 1e-12): never zero for a saturated wrong sample", () => {
    // Unsaturated, saturated-but-representable, and exactly saturated probabilities, mean reduction over 5.
    const pv = [0.3, 0.8, 1e-8, 0, 1];
    const yv = [1, 0, 1, 1, 0];
    const p = tensor(pv);
    p.requiresGrad = true;
    backward(bce(p, tensor(yv)));
    const g = values(p.grad!);
    pv.forEach((pi, i) => {
      const f32 = Math.fround(pi);
      const expected = (f32 - yv[i]!) / Math.max(Math.fround(f32 * Math.fround(1 - f32)), 1e-12) / pv.length;
      expect(g[i]! / expected).toBeCloseTo(1, 5);
    });
    expect(g[3]).toBeCloseTo(-1e12 / 5, -6);
    expect(g[4]).toBeCloseTo(1e12 / 5, -6);
  });

  it('bceWithLogits is stable and agrees with bce∘sigmoid', () => {
    const y = tensor([1, 0, 0, 1]);
    const x = tensor([3, -1, 0.5, -200, 200]);
    const t = tensor([1, 0, 0.3, 1, 0]);
    const expected = [3, -1, 0.5, -200, 200].map((z, i) => {
      const yy = [1, 0, 0.3, 1, 0][i]!;
      return Math.max(z, 0) - z * yy + Math.log1p(Math.exp(-Math.abs(z)));
    });
    values(bceWithLogits(x, t, { reduction: 'none' })).forEach((v, i) =>
      expect(v).toBeCloseTo(expected[i]!, 5),
    );
    expect(gradCheck((z) => bceWithLogits(z!, t), [tensor([0.7, -1.3, 0.2, 2, -0.4])]).ok).toBe(true);
    expect(gradCheck((q) => bce(q!, y), [tensor([0.6, 0.3, 0.2, 0.7])]).ok).toBe(true);
  });

  it('mse is the mean squared difference', () => {
    expect(mse(tensor([1, 2, 4]), tensor([1, 0, 1])).item()).toBeCloseTo(13 / 3, 6);
    expect(mse(tensor([1, 2, 4]), tensor([1, 0, 1]), { reduction: 'sum' }).item()).toBe(13);
    expect(gradCheck((a, b) => mse(a!, b!), [randn([2, 3], new Rng(1)), randn([2, 3], new Rng(2))]).ok).toBe(
      true,
    );
  });

  it('rejects mismatched labels, shapes, dtypes and reductions', () => {
    expect(() => crossEntropy(logits, tensor([0, 2]))).toThrow(DTypeError);
    expect(() => crossEntropy(logits, tensor(new Int32Array([0]), [1]))).toThrow(
      /crossEntropy: labels of shape \[1\] for logits \[2, 3\]; expected \[2\]/,
    );
    expect(() => crossEntropy(logits, tensor(new Int32Array([0, 3]), [2]))).toThrow(
      /label 3 at row 1 is out of range; expected a class in \[0, 3\)/,
    );
    expect(() => crossEntropy(tensor([1, 2]), labels)).toThrow(ShapeError);
    expect(() => mse(tensor([1, 2]), tensor([1, 2, 3]))).toThrow(
      /mse: input of shape \[2\] and target of shape \[3\]; expected equal shapes/,
    );
    expect(() => bce(tensor([0.5]), tensor(new Int32Array([1]), [1]))).toThrow(
      /bce: input is float32 and target int32/,
    );
    expect(() => mse(tensor([1]), tensor([1]), { reduction: 'avg' as 'mean' })).toThrow(
      /reduction 'avg'; expected one of mean, sum, none/,
    );
  });
});
