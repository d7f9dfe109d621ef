import { describe, expect, it, vi } from 'vitest';
import {
  broadcastTo,
  concat,
  engine,
  gather,
  logSoftmax,
  negLogLikelihood,
  matmul,
  max,
  mean,
  min,
  mul,
  reshape,
  slice,
  softmax,
  sum,
  tensor,
  transpose,
  variance,
  type Tensor,
} from '@fbt/tensor';
import { backward } from '../src';
import { arr, expectGradOk, values } from './helpers';

// Tolerances: eps 1e-3, atol 1e-3, rtol 1e-2 (helpers.TOLERANCES).

describe('reduction gradients (gradCheck)', () => {
  const x = values([3, 4, 5], 1);
  const reductions: [string, (t: Tensor, axes?: number | number[], keepDims?: boolean) => Tensor][] = [
    ['sum', sum],
    ['mean', mean],
    ['max', max],
    ['min', min],
    ['variance', variance],
  ];
  for (const [name, op] of reductions) {
    it(`${name} over all axes`, () => expectGradOk((t) => op(t), [x]));
    it(`${name} over axes [0, 2]`, () => expectGradOk((t) => op(t, [0, 2]), [x]));
    it(`${name} over axis 1 with keepDims`, () => expectGradOk((t) => op(t, 1, true), [x]));
  }
  it('max splits the gradient equally among tied maxima', () => {
    const t = tensor([
      [3, 1, 3],
      [0, 2, 1],
    ]);
    t.requiresGrad = true;
    backward(sum(mul(max(t, 1), tensor([4, 10]))));
    expect(arr(t.grad)).toEqual([2, 0, 2, 0, 10, 0]);
  });
});

describe('matmul gradients (gradCheck)', () => {
  const flags = [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ] as const;
  for (const [transposeA, transposeB] of flags) {
    it(`2-D, transposeA=${transposeA} transposeB=${transposeB}`, () => {
      const a = values(transposeA ? [4, 3] : [3, 4], 2);
      const b = values(transposeB ? [5, 4] : [4, 5], 3);
      expectGradOk((p, q) => matmul(p, q, { transposeA, transposeB }), [a, b]);
    });
    it(`batched with a broadcast batch of 1, transposeA=${transposeA} transposeB=${transposeB}`, () => {
      const a = values(transposeA ? [2, 4, 3] : [2, 3, 4], 4);
      const b = values(transposeB ? [1, 5, 4] : [1, 4, 5], 5);
      expectGradOk((p, q) => matmul(p, q, { transposeA, transposeB }), [a, b]);
    });
    it(`batched with equal batches (attention's per-head products), transposeA=${transposeA} transposeB=${transposeB}`, () => {
      const a = values(transposeA ? [3, 4, 2] : [3, 2, 4], 6);
      const b = values(transposeB ? [3, 5, 4] : [3, 4, 5], 7);
      expectGradOk((p, q) => matmul(p, q, { transposeA, transposeB }), [a, b]);
    });
    it(`with a bias (2-D and batched), transposeA=${transposeA} transposeB=${transposeB}`, () => {
      const bias = values([5], 11);
      const a = values(transposeA ? [4, 3] : [3, 4], 2);
      const b = values(transposeB ? [5, 4] : [4, 5], 3);
      expectGradOk((p, q, r) => matmul(p, q, { transposeA, transposeB, bias: r }), [a, b, bias]);
      const batchA = values(transposeA ? [2, 4, 3] : [2, 3, 4], 4);
      const batchB = values(transposeB ? [1, 5, 4] : [1, 4, 5], 5);
      expectGradOk((p, q, r) => matmul(p, q, { transposeA, transposeB, bias: r }), [batchA, batchB, bias]);
    });
  }
});

/** The names of the kernels `run` makes, in order. */
function kernelsOf(run: () => void): string[] {
  const kernels: string[] = [];
  const runKernel = engine().runKernel.bind(engine());
  const spy = vi.spyOn(engine(), 'runKernel').mockImplementation((name, inputs, attrs) => {
    kernels.push(name);
    return runKernel(name, inputs, attrs);
  });
  try {
    run();
  } finally {
    spy.mockRestore();
  }
  return kernels;
}

describe('matmul gradients: no copies', () => {
  it('the backward of x·Wᵀ runs two matMul kernels and nothing else (their outputs are the gradients)', () => {
    const [x, w] = [values([3, 4], 8), values([5, 4], 9)];
    x.requiresGrad = true;
    w.requiresGrad = true;
    const y = matmul(x, w, { transposeB: true });
    expect(kernelsOf(() => backward(y, { grad: values([3, 5], 10) }))).toEqual(['matMul', 'matMul']);
    expect(x.grad!.shape).toEqual([3, 4]);
    expect(w.grad!.shape).toEqual([5, 4]);
  });

  it('with a bias, the backward adds one sum over the rows for it (no reshape copy)', () => {
    const [x, w, bias] = [values([3, 4], 8), values([5, 4], 9), values([5], 12)];
    for (const t of [x, w, bias]) t.requiresGrad = true;
    const y = matmul(x, w, { transposeB: true, bias });
    const kernels = kernelsOf(() => backward(y, { grad: values([3, 5], 10) }));
    expect(kernels.sort()).toEqual(['matMul', 'matMul', 'sum']);
    expect(bias.grad!.shape).toEqual([5]);
  });
});

describe('shape gradients (gradCheck)', () => {
  const x = values([2, 3, 4], 6);
  it('reshape', () => expectGradOk((t) => mul(reshape(t, [4, 6]), values([4, 6], 7)), [x]));
  it('transpose', () => expectGradOk((t) => mul(transpose(t, [2, 0, 1]), values([4, 2, 3], 8)), [x]));
  it('broadcastTo', () => expectGradOk((t) => mul(broadcastTo(t, [2, 3, 4]), x), [values([3, 1], 9)]));
  it('slice', () => expectGradOk((t) => slice(t, [1, 1, 0], [1, 2, 3]), [x]));
  it('concat', () => expectGradOk((a, b) => concat([a, b, a], 1), [x, values([2, 1, 4], 10)]));
  it('gather along axis 0 with a repeated index', () => {
    const idx = tensor(new Int32Array([2, 0, 2]), [3]);
    expectGradOk((t) => gather(t, idx, 0), [values([4, 3], 11)]);
  });
  it('gather along a middle axis', () => {
    const idx = tensor(new Int32Array([1, 1, 0, 3]), [4]);
    expectGradOk((t) => gather(t, idx, 1), [values([2, 4, 3], 12)]);
  });
  it('gather scatter-adds repeated rows', () => {
    const t = tensor([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    t.requiresGrad = true;
    backward(sum(gather(t, tensor(new Int32Array([2, 0, 2]), [3]), 0)));
    expect(arr(t.grad)).toEqual([1, 1, 0, 0, 2, 2]);
  });
});

describe('softmax gradients (gradCheck)', () => {
  const x = values([3, 5], 13);
  it('softmax along the last axis', () => expectGradOk((t) => softmax(t, -1), [x]));
  it('softmax along axis 0', () => expectGradOk((t) => softmax(t, 0), [x]));
  it('logSoftmax along the last axis', () => expectGradOk((t) => logSoftmax(t, -1), [x]));
  it('logSoftmax along axis 0', () => expectGradOk((t) => logSoftmax(t, 0), [x]));
  it('negLogLikelihood of logSoftmax (cross-entropy per row)', () => {
    const labels = tensor(Int32Array.of(4, 0, 2), [3], 'int32');
    expectGradOk((t) => negLogLikelihood(logSoftmax(t, 1), labels), [x]);
  });
});
