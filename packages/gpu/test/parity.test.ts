import { describe, expect, it } from 'vitest';
import { GL_AVAILABLE, runBoth, worstExcess, type InputSpec } from './setup';
import type { KernelAttrs } from '@fbt/tensor';

/**
 * Float32 tolerance of the parity checks: |gpu − cpu| ≤ ATOL + RTOL·|cpu| per element.
 * Elementwise kernels differ only by the GPU's float32 transcendental functions (a few ulp);
 * accumulating kernels (reductions, matmul, conv) sum in float32 in another order than the CPU.
 */
const ELEMENTWISE = { atol: 1e-6, rtol: 2e-6 };
const ACCUMULATING = { atol: 1e-5, rtol: 1e-5 };

interface Case {
  readonly kernel: string;
  readonly inputs: readonly InputSpec[];
  readonly attrs?: KernelAttrs;
  readonly tol?: { atol: number; rtol: number };
  readonly label?: string;
}

const positive = (size: number, seed: number): Float32Array => {
  const v = new Float32Array(size);
  for (let k = 0; k < size; k++) v[k] = 0.05 + ((k * 7919 + seed * 104729) % 1000) / 250;
  return v;
};
/** Values on a coarse grid so that ties and exact zeros occur (comparisons, sign, step, argmax). */
const coarse = (size: number, seed: number): Float32Array => {
  const v = new Float32Array(size);
  for (let k = 0; k < size; k++) v[k] = (((k * 31 + seed * 17) % 9) - 4) / 2;
  return v;
};
const ints = (values: number[]): Int32Array => Int32Array.from(values);

/** Above one 16384-texel texture row, and not a multiple of 4. */
const BIG = 20011;

const binary = ['add', 'sub', 'mul', 'div', 'minimum', 'maximum'];
const comparisons = ['greater', 'greaterEqual', 'less', 'lessEqual', 'equal', 'notEqual'];
const unary = ['neg', 'abs', 'exp', 'square', 'tanh', 'sigmoid', 'relu', 'sign', 'step', 'reciprocal'];

const conv = { stride: [2, 1], padding: [1, 2], dilation: [1, 2] };
const pool = { kernelSize: [3, 2], stride: [2, 2], padding: [1, 1] };

const CASES: Case[] = [
  ...binary.map((kernel) => ({ kernel, inputs: [{ shape: [3, 1, 5] }, { shape: [4, 5] }] })),
  { kernel: 'add', label: 'add, size above a texture row', inputs: [{ shape: [BIG] }, { shape: [BIG] }] },
  { kernel: 'pow', inputs: [{ shape: [7, 3], values: positive(21, 1) }, { shape: [3] }] },
  {
    kernel: 'pow',
    label: 'pow, negative base',
    inputs: [
      { shape: [9], values: coarse(9, 2) },
      { shape: [9], values: coarse(9, 5).map(Math.round) },
    ],
  },
  ...comparisons.map((kernel) => ({
    kernel,
    inputs: [
      { shape: [5, 7], values: coarse(35, 1) },
      { shape: [7], values: coarse(7, 3) },
    ],
  })),
  ...unary.map((kernel) => ({
    kernel,
    inputs: [{ shape: [11, 3], values: kernel === 'sign' || kernel === 'step' ? coarse(33, 4) : undefined }],
  })),
  { kernel: 'log', inputs: [{ shape: [13], values: positive(13, 2) }] },
  { kernel: 'sqrt', inputs: [{ shape: [13], values: positive(13, 3) }] },
  {
    kernel: 'tanh',
    label: 'tanh, large |x|',
    inputs: [{ shape: [6], values: Float32Array.of(-60, -20, -1e-4, 0, 30, 90) }],
  },
  {
    kernel: 'sigmoid',
    label: 'sigmoid, large |x|',
    inputs: [{ shape: [4], values: Float32Array.of(-120, -30, 30, 120) }],
  },
  { kernel: 'clamp', inputs: [{ shape: [17] }], attrs: { min: -0.5, max: 0.75 } },
  {
    kernel: 'where',
    inputs: [{ shape: [3, 1], values: Float32Array.of(1, 0, 1) }, { shape: [3, 5] }, { shape: [5] }],
  },
  {
    kernel: 'cast',
    label: 'cast to int32',
    inputs: [{ shape: [9], values: Float32Array.of(-2.7, -1.5, -0.2, 0, 0.4, 1.5, 2.9, 7, -7) }],
    attrs: { dtype: 'int32' },
  },
  {
    kernel: 'cast',
    label: 'cast to float32',
    inputs: [{ shape: [3], values: ints([-3, 0, 5]) }],
    attrs: { dtype: 'float32' },
  },
  {
    kernel: 'add',
    label: 'add int32',
    inputs: [
      { shape: [3], values: ints([-3, 0, 5]) },
      { shape: [3], values: ints([4, 1, -9]) },
    ],
  },
  ...['sum', 'mean', 'max', 'min', 'variance'].flatMap((kernel) => [
    { kernel, inputs: [{ shape: [3, 5, 7] }], attrs: { axes: [1], keepDims: false }, tol: ACCUMULATING },
    { kernel, inputs: [{ shape: [3, 5, 7] }], attrs: { axes: [0, 2], keepDims: true }, tol: ACCUMULATING },
  ]),
  {
    kernel: 'sum',
    label: 'sum of a size above a texture row',
    inputs: [{ shape: [BIG] }],
    attrs: { axes: [0], keepDims: false },
    tol: { atol: 1e-3, rtol: 1e-4 },
  },
  {
    kernel: 'argmax',
    inputs: [{ shape: [4, 9], values: coarse(36, 2) }],
    attrs: { axis: 1, keepDims: false },
  },
  {
    kernel: 'argmin',
    inputs: [{ shape: [4, 9], values: coarse(36, 3) }],
    attrs: { axis: 0, keepDims: true },
  },
  ...[
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ].map(([transposeA, transposeB]) => ({
    kernel: 'matMul',
    label: `matMul transposeA=${transposeA} transposeB=${transposeB}`,
    inputs: [{ shape: transposeA ? [13, 7] : [7, 13] }, { shape: transposeB ? [9, 13] : [13, 9] }],
    attrs: { transposeA, transposeB },
    tol: ACCUMULATING,
  })),
  {
    kernel: 'matMul',
    label: 'batched matMul, broadcast batch',
    inputs: [{ shape: [3, 5, 6] }, { shape: [1, 6, 7] }],
    attrs: { transposeA: false, transposeB: false },
    tol: ACCUMULATING,
  },
  {
    kernel: 'matMul',
    label: 'batched matMul with a bias, broadcast batch',
    inputs: [{ shape: [3, 5, 6] }, { shape: [1, 7, 6] }, { shape: [7] }],
    attrs: { transposeA: false, transposeB: true },
    tol: ACCUMULATING,
  },
  {
    kernel: 'matMul',
    label: 'matMul with K above a texture row',
    inputs: [{ shape: [2, BIG] }, { shape: [3, BIG] }],
    attrs: { transposeA: false, transposeB: true },
    tol: { atol: 1e-3, rtol: 1e-4 },
  },
  { kernel: 'reshape', inputs: [{ shape: [3, 7] }], attrs: { shape: [7, 3] } },
  { kernel: 'transpose', inputs: [{ shape: [3, 5, 7] }], attrs: { perm: [2, 0, 1] } },
  { kernel: 'broadcastTo', inputs: [{ shape: [3, 1] }], attrs: { shape: [2, 3, 5] } },
  { kernel: 'slice', inputs: [{ shape: [5, 7, 3] }], attrs: { begin: [1, 2, 0], size: [3, 4, 2] } },
  {
    kernel: 'concat',
    inputs: [{ shape: [2, 3] }, { shape: [2, 1] }, { shape: [2, 0] }, { shape: [2, 5] }],
    attrs: { axis: 1 },
  },
  {
    kernel: 'concat',
    label: 'concat of 9 inputs',
    inputs: Array.from({ length: 9 }, (_, k) => ({ shape: [k + 1, 3] })),
    attrs: { axis: 0 },
  },
  {
    kernel: 'gather',
    inputs: [{ shape: [3, 5, 2] }, { shape: [2, 3], values: ints([4, 0, 2, 2, 1, 3]) }],
    attrs: { axis: 1 },
  },
  { kernel: 'oneHot', inputs: [{ shape: [2, 3], values: ints([0, 4, 2, 1, 1, 3]) }], attrs: { depth: 5 } },
  { kernel: 'softmax', inputs: [{ shape: [3, 7, 5] }], attrs: { axis: 1 } },
  { kernel: 'logSoftmax', inputs: [{ shape: [5, 11] }], attrs: { axis: 1 } },
  {
    kernel: 'negLogLikelihood',
    inputs: [{ shape: [4, 6] }, { shape: [4], values: ints([5, 0, 2, 2]) }],
    attrs: {},
  },
  {
    kernel: 'negLogLikelihoodBackward',
    inputs: [{ shape: [4] }, { shape: [4], values: ints([5, 0, 2, 2]) }],
    attrs: { classes: 6 },
  },
  {
    kernel: 'softmax',
    label: 'softmax of large logits',
    inputs: [{ shape: [2, 3], values: Float32Array.of(1000, 1001, 999, -1000, -1001, -999) }],
    attrs: { axis: 1 },
  },
  {
    kernel: 'mapExpr',
    inputs: [{ shape: [5, 3] }, { shape: [5, 3] }],
    attrs: {
      expr: 'z >= 0 && g != 0 ? a * exp(-abs(z)) + sign(g) * erf(z) : pow(abs(z), b) + tanh(g) - max(min(z, g), floor(g)) + sqrt(abs(g)) / (1 + log(1 + abs(z))) + PI',
      names: ['z', 'g'],
      params: { a: 0.5, b: 3 },
    },
  },
  {
    kernel: 'mapExpr',
    label: 'mapExpr jamming rule g*u',
    inputs: [{ shape: [BIG] }, { shape: [BIG] }],
    attrs: { expr: 'g * u', names: ['g', 'u'], params: {} },
  },
  { kernel: 'im2col', inputs: [{ shape: [2, 3, 7, 6] }], attrs: { ...conv, kernelSize: [3, 2] } },
  {
    kernel: 'col2im',
    inputs: [{ shape: [3 * 3 * 2, 2 * 4 * 8] }],
    attrs: { ...conv, kernelSize: [3, 2], inputShape: [2, 3, 7, 6] },
    tol: ACCUMULATING,
  },
  {
    kernel: 'conv2d',
    inputs: [{ shape: [2, 3, 7, 6] }, { shape: [5, 3, 3, 2] }],
    attrs: conv,
    tol: ACCUMULATING,
  },
  {
    kernel: 'conv2d',
    label: 'conv2d with a bias',
    inputs: [{ shape: [2, 3, 7, 6] }, { shape: [5, 3, 3, 2] }, { shape: [5] }],
    attrs: conv,
    tol: ACCUMULATING,
  },
  {
    kernel: 'conv2dBackpropInput',
    inputs: [{ shape: [2, 5, 4, 8] }, { shape: [5, 3, 3, 2] }],
    attrs: { ...conv, inputShape: [2, 3, 7, 6] },
    tol: ACCUMULATING,
  },
  {
    kernel: 'conv2dBackpropFilter',
    inputs: [{ shape: [2, 3, 7, 6] }, { shape: [2, 5, 4, 8] }],
    attrs: { ...conv, filterShape: [5, 3, 3, 2] },
    tol: ACCUMULATING,
  },
  { kernel: 'maxPool2d', inputs: [{ shape: [2, 3, 7, 5], values: coarse(210, 1) }], attrs: pool },
  { kernel: 'avgPool2d', inputs: [{ shape: [2, 3, 7, 5] }], attrs: pool, tol: ACCUMULATING },
  {
    kernel: 'maxPool2dBackward',
    inputs: [{ shape: [2, 3, 4, 3] }, { shape: [2, 3, 7, 5], values: coarse(210, 1) }],
    attrs: pool,
    tol: ACCUMULATING,
  },
  {
    kernel: 'avgPool2dBackward',
    inputs: [{ shape: [2, 3, 4, 3] }],
    attrs: { ...pool, inputShape: [2, 3, 7, 5] },
    tol: ACCUMULATING,
  },
];

describe.skipIf(!GL_AVAILABLE)('gpu kernels agree with the cpu backend', () => {
  for (const c of CASES) {
    it(c.label ?? c.kernel, () => {
      const r = runBoth(c.kernel, c.inputs, c.attrs);
      expect(r.gpuShape).toEqual(r.cpuShape);
      expect(r.gpuDtype).toBe(r.cpuDtype);
      const { atol, rtol } = c.tol ?? ELEMENTWISE;
      expect(worstExcess(r.cpu, r.gpu, atol, rtol)).toBe(0);
    });
  }
});

/**
 * Kernels whose program text does not name the length of an input's first axis (a slice of the
 * first rows, a gather of rows), run in turn on inputs of several lengths: gpu.js bakes each input
 * texture's size into the compiled shader, so a kernel reused on an input of another length must
 * not be (the h0 slice of a 2-layer then a 1-layer GRU read the wrong texels).
 */
const REUSED: readonly {
  label: string;
  kernel: string;
  inputs: (rows: number) => InputSpec[];
  attrs: KernelAttrs;
}[] = [
  {
    label: 'slice of the first row of [rows, 3, 7]',
    kernel: 'slice',
    inputs: (rows) => [{ shape: [rows, 3, 7] }],
    attrs: { begin: [0, 0, 0], size: [1, 3, 7] },
  },
  {
    label: 'slice [1, 2) of [rows]',
    kernel: 'slice',
    inputs: (rows) => [{ shape: [rows] }],
    attrs: { begin: [1], size: [1] },
  },
  {
    label: 'gather of rows of [rows, 4]',
    kernel: 'gather',
    inputs: (rows) => [{ shape: [rows, 4] }, { shape: [3], values: ints([1, 0, 1]) }],
    attrs: { axis: 0 },
  },
];

describe.skipIf(!GL_AVAILABLE)(
  'gpu kernels reused on inputs of other lengths agree with the cpu backend',
  () => {
    for (const c of REUSED) {
      it(c.label, () => {
        for (const rows of [3, 2, 40, 3]) {
          const r = runBoth(c.kernel, c.inputs(rows), c.attrs, rows);
          expect(worstExcess(r.cpu, r.gpu, ELEMENTWISE.atol, ELEMENTWISE.rtol), `${rows} rows`).toBe(0);
        }
      });
    }
  },
);
