import { describe, expect, it } from 'vitest';
import {
  ArgumentError,
  add,
  conv2d,
  engine,
  kernelsOf,
  matmul,
  reshape,
  tensor,
  tidy,
  transpose,
  WASM_KERNELS,
  withBackend,
  type Conv2dOptions,
} from '../src';
import { randomValues, runBoth, WASM_VARIANT_BACKENDS, worstExcess, type InputSpec } from './wasm-helpers';

/**
 * Tolerances of the wasm kernels against the cpu reference (inputs uniform in [-2, 2)):
 * - exact: elementwise SIMD ops (one IEEE float32 operation each), shape copies, in-place updates
 *   other than addInPlace/scaleInPlace, reductions (float64 accumulation in the same order), the
 *   cpu-formula kernels (same compiled loop), pooling, and mapExpr formulas of arithmetic only;
 * - 1e-6 relative (+1e-7 absolute): softmax/logSoftmax and mapExpr formulas calling exp/log/tanh/pow
 *   (the module's float64 functions vs V8's Math), addInPlace/scaleInPlace (float32 arithmetic vs
 *   float64 then rounding);
 * - matmul and conv: |Δ| ≤ 1e-6·K·4 + 1e-5·|cpu|, K the shared dimension (float32 SIMD sums in a
 *   different order than the float64 cpu tiles).
 */
const EXACT = { atol: 0, rtol: 0 };
const NEAR = { atol: 1e-7, rtol: 1e-6 };
const gemmTolerance = (k: number): { atol: number; rtol: number } => ({
  atol: 4e-6 * Math.max(k, 1),
  rtol: 1e-5,
});

function expectAgree(
  kernel: string,
  specs: readonly InputSpec[],
  attrs: Record<string, unknown>,
  tol: { atol: number; rtol: number },
  backend = 'wasm',
): void {
  const r = runBoth(kernel, specs, attrs, 1, backend);
  expect(r.wasmShape, `${kernel} shape`).toEqual(r.cpuShape);
  expect(r.wasmDtype, `${kernel} dtype`).toBe(r.cpuDtype);
  expect(r.wasm.length).toBe(r.cpu.length);
  expect(
    worstExcess(r.cpu, r.wasm, tol.atol, tol.rtol),
    `${kernel} on ${backend} ${JSON.stringify(attrs)}`,
  ).toBe(0);
}

/** Odd shapes: broadcasting in every position, lengths that are not multiples of 4. */
const BROADCASTS: readonly [number[], number[]][] = [
  [
    [7, 13],
    [7, 13],
  ],
  [[7, 13], [13]],
  [
    [7, 1],
    [1, 13],
  ],
  [
    [3, 5, 7],
    [5, 1],
  ],
  [[], [3, 5]],
  [[1031], []],
  [
    [2, 3, 4, 5],
    [2, 1, 4, 1],
  ],
];

describe('wasm kernels agree with the cpu reference', () => {
  it('registers every kernel of the cpu backend', () => {
    engine().findBackend('wasm');
    expect(kernelsOf('cpu').length).toBeGreaterThan(0);
    expect(kernelsOf('wasm')).toEqual(expect.arrayContaining(kernelsOf('cpu')));
    expect(WASM_KERNELS.filter((k) => k.fallback).map((k) => k.kernelName)).toEqual([
      'cast',
      'argmax',
      'argmin',
      'gather',
      'oneHot',
      'negLogLikelihood',
      'negLogLikelihoodBackward',
    ]);
  });

  const binary = ['add', 'sub', 'mul', 'div', 'minimum', 'maximum', 'pow'];
  const comparisons = ['greater', 'greaterEqual', 'less', 'lessEqual', 'equal', 'notEqual'];
  it.each([...binary, ...comparisons])('%s with broadcasting', (kernel) => {
    for (const [a, b] of BROADCASTS) {
      expectAgree(kernel, [{ shape: a }, { shape: b }], {}, EXACT);
      expectAgree(kernel, [{ shape: b }, { shape: a }], {}, EXACT);
    }
  });

  it('comparisons and min/max on ties, zeros and NaN', () => {
    const a = Float32Array.of(1, NaN, 0, -0, 2, NaN, -1, 3, 5);
    const b = Float32Array.of(1, 1, -0, 0, NaN, NaN, -1, 2, 5);
    for (const kernel of [...comparisons, 'minimum', 'maximum', 'sub', 'div'])
      expectAgree(
        kernel,
        [
          { shape: [9], values: a },
          { shape: [9], values: b },
        ],
        {},
        EXACT,
      );
  });

  it('int32 arithmetic keeps int32', () => {
    const a = Int32Array.of(1, -2, 3, 40000, 5, 6, 7);
    const b = Int32Array.of(7, 6, -5, 40000, 3, 2, 1);
    for (const kernel of ['add', 'sub', 'mul', 'minimum', 'maximum', 'div'])
      expectAgree(
        kernel,
        [
          { shape: [7], values: a },
          { shape: [7], values: b },
        ],
        {},
        EXACT,
      );
  });

  const unary = ['neg', 'abs', 'sqrt', 'square', 'relu', 'sign', 'step', 'reciprocal'];
  it.each([...unary, 'exp', 'log', 'tanh', 'sigmoid'])('%s on odd sizes, zeros and NaN', (kernel) => {
    for (const size of [1, 3, 4, 5, 17, 1031]) expectAgree(kernel, [{ shape: [size] }], {}, EXACT);
    const special = Float32Array.of(0, -0, NaN, Infinity, -Infinity, 1e-30, -3.5);
    expectAgree(kernel, [{ shape: [7], values: special }], {}, EXACT);
  });

  it('clamp, where, cast, broadcastTo', () => {
    expectAgree('clamp', [{ shape: [5, 7] }], { min: -0.5, max: 1 }, EXACT);
    expectAgree('where', [{ shape: [5, 1] }, { shape: [5, 7] }, { shape: [7] }], {}, EXACT);
    expectAgree('cast', [{ shape: [13] }], { dtype: 'int32' }, EXACT);
    expectAgree('cast', [{ shape: [3], values: Int32Array.of(1, -2, 3) }], { dtype: 'float32' }, EXACT);
    expectAgree('broadcastTo', [{ shape: [3, 1, 5] }], { shape: [2, 3, 7, 5] }, EXACT);
    expectAgree('broadcastTo', [{ shape: [1], values: Int32Array.of(9) }], { shape: [3, 3] }, EXACT);
  });

  it.each(['sum', 'mean', 'max', 'min', 'variance'])('%s over every axis set', (kernel) => {
    const shape = [3, 5, 7];
    for (const axes of [[0], [1], [2], [0, 1], [0, 2], [1, 2], [0, 1, 2]]) {
      for (const keepDims of [false, true]) expectAgree(kernel, [{ shape }], { axes, keepDims }, EXACT);
    }
    // A bias gradient (rows of one accumulator, batches of six), odd columns of a Linear bias
    // gradient (accumulators along the row, two a f64x2), rows in batches of two and three.
    expectAgree(kernel, [{ shape: [9, 6, 13, 11] }], { axes: [0, 2, 3], keepDims: false }, EXACT);
    expectAgree(kernel, [{ shape: [37, 123] }], { axes: [0], keepDims: false }, EXACT);
    expectAgree(kernel, [{ shape: [2, 301] }], { axes: [1], keepDims: true }, EXACT);
    expectAgree(kernel, [{ shape: [7, 3, 55] }], { axes: [0, 2], keepDims: false }, EXACT);
    // Batches of eight and two, seven, five (the last pair half used), rows with and without a tail.
    expectAgree(kernel, [{ shape: [3, 10, 7, 5] }], { axes: [0, 2, 3], keepDims: false }, EXACT);
    expectAgree(kernel, [{ shape: [2, 7, 9] }], { axes: [0, 2], keepDims: false }, EXACT);
    expectAgree(kernel, [{ shape: [4, 5, 12] }], { axes: [0, 2], keepDims: true }, EXACT);
    expectAgree(
      kernel,
      [{ shape: [2, 3], values: Int32Array.of(1, 2, 3, 4, 5, -6) }],
      { axes: [1], keepDims: false },
      EXACT,
    );
    expectAgree(
      kernel,
      [{ shape: [4], values: Float32Array.of(1, NaN, 2, 3) }],
      { axes: [0], keepDims: false },
      EXACT,
    );
  });

  it.each(['argmax', 'argmin'])('%s', (kernel) => {
    for (const axis of [0, 1, 2])
      expectAgree(kernel, [{ shape: [3, 5, 7] }], { axis, keepDims: false }, EXACT);
  });

  it.each(['softmax', 'logSoftmax'])('%s along each axis', (kernel) => {
    for (const axis of [0, 1, 2]) expectAgree(kernel, [{ shape: [3, 5, 7] }], { axis }, NEAR);
    const big = Float32Array.of(1000, -1000, 0, 88, 89);
    expectAgree(kernel, [{ shape: [5], values: big }], { axis: 0 }, NEAR);
    expectAgree(kernel, [{ shape: [2, 3], values: Int32Array.of(1, 2, 3, -4, 0, 9) }], { axis: 1 }, NEAR);
  });

  it.each(WASM_VARIANT_BACKENDS)(
    'matMul: all four transpose combinations on odd and blocked sizes on %s',
    (backend) => {
      // Edge panels, depth remainders past the four-depth transposes of a transposed B, more than
      // one KC block of depth (261) and more than NC columns (1030).
      const sizes: [number, number, number][] = [
        [1, 1, 1],
        [7, 13, 5],
        [5, 3, 9],
        [37, 301, 19],
        [130, 9, 261],
        [3, 1030, 7],
      ];
      for (const [m, n, k] of sizes) {
        for (const transposeA of [false, true]) {
          for (const transposeB of [false, true]) {
            const a = { shape: transposeA ? [k, m] : [m, k] };
            const b = { shape: transposeB ? [n, k] : [k, n] };
            expectAgree('matMul', [a, b], { transposeA, transposeB }, gemmTolerance(k), backend);
          }
        }
        // A transposed B is packed into the very panels its row-major copy gives: the same bits.
        const a = tensor(randomValues(m * k, 3), [m, k]);
        const b = tensor(randomValues(n * k, 4), [n, k]);
        const [packed, copied] = withBackend(backend, () =>
          tidy(() => [
            matmul(a, b, { transposeB: true }).dataSync().slice(),
            matmul(a, transpose(b)).dataSync().slice(),
          ]),
        );
        expect(new Uint32Array(packed!.buffer)).toEqual(new Uint32Array(copied!.buffer));
      }
    },
  );

  it.each(WASM_VARIANT_BACKENDS)(
    'matMul with a bias equals matMul then the broadcast add, to the bit, on %s',
    (backend) => {
      // Edge panels, a second KC block of depth (261: the bias goes after the last one), more than
      // NC columns, row panels (m > n), a batch, and K = 0 (the bias alone).
      const cases: [number[], number[], boolean][] = [
        [[7, 13], [13, 5], false],
        [[130, 261], [9, 261], true],
        [[3, 7], [7, 1030], false],
        [[301, 45], [45, 7], false],
        [[3, 5, 11], [1, 6, 11], true],
        [[4, 0], [0, 6], false],
      ];
      for (const [aShape, bShape, transposeB] of cases) {
        const n = transposeB ? bShape.at(-2)! : bShape.at(-1)!;
        const [a, b, bias] = [aShape, bShape, [n]].map((shape, i) =>
          tensor(
            randomValues(
              shape.reduce((p, d) => p * d, 1),
              7 + i,
            ),
            shape,
          ),
        );
        const [fused, separate] = withBackend(backend, () =>
          tidy(() => [
            matmul(a!, b!, { transposeB, bias: bias! }).dataSync().slice(),
            add(matmul(a!, b!, { transposeB }), bias!)
              .dataSync()
              .slice(),
          ]),
        );
        expect(new Uint32Array(fused!.buffer)).toEqual(new Uint32Array(separate!.buffer));
      }
    },
  );

  it.each(WASM_VARIANT_BACKENDS)(
    'matMul: batched, with a batch of 1 broadcasting, and K = 0 on %s',
    (backend) => {
      const tol = gemmTolerance(11);
      expectAgree(
        'matMul',
        [{ shape: [3, 5, 11] }, { shape: [3, 11, 6] }],
        { transposeA: false, transposeB: false },
        tol,
        backend,
      );
      expectAgree(
        'matMul',
        [{ shape: [1, 5, 11] }, { shape: [4, 6, 11] }],
        { transposeA: false, transposeB: true },
        tol,
        backend,
      );
      expectAgree(
        'matMul',
        [{ shape: [4, 11, 5] }, { shape: [1, 11, 6] }],
        { transposeA: true, transposeB: false },
        tol,
        backend,
      );
      expectAgree(
        'matMul',
        [{ shape: [3, 0] }, { shape: [0, 5] }],
        { transposeA: false, transposeB: false },
        EXACT,
        backend,
      );
    },
  );

  it('shape kernels', () => {
    expectAgree('reshape', [{ shape: [3, 10] }], { shape: [5, 6] }, EXACT);
    expectAgree('transpose', [{ shape: [3, 5, 7] }], { perm: [2, 0, 1] }, EXACT);
    expectAgree('transpose', [{ shape: [2, 3, 4, 5] }], { perm: [0, 2, 1, 3] }, EXACT);
    expectAgree('slice', [{ shape: [5, 7, 3] }], { begin: [1, 2, 0], size: [3, 4, 2] }, EXACT);
    expectAgree('slice', [{ shape: [5, 7] }], { begin: [1, 2], size: [0, 4] }, EXACT);
    for (const axis of [0, 1, 2])
      expectAgree('concat', [{ shape: [3, 5, 7] }, { shape: [3, 5, 7] }], { axis }, EXACT);
    expectAgree('concat', [{ shape: [2, 3] }, { shape: [2, 0] }, { shape: [2, 5] }], { axis: 1 }, EXACT);
    const indices = Int32Array.of(4, 0, 2, 2);
    expectAgree('gather', [{ shape: [5, 3] }, { shape: [4], values: indices }], { axis: 0 }, EXACT);
    expectAgree('oneHot', [{ shape: [4], values: indices }], { depth: 6 }, EXACT);
  });

  it('mapExpr compiles JavaScript semantics: precedence, truthiness of && || ! ?:, NaN, int32 inputs', () => {
    const special = Float32Array.of(0, -0, NaN, 1, -1, 2.5, -3.5, Infinity, 1e-30);
    const formulas = [
      'a && b',
      'a || b',
      '!a + !!b',
      'a ? b : -b',
      'a < b < 0.5',
      '-a * -b - -a / b',
      '(a == b) + (a != b) * 2 + (a === 0) * 4 + (a !== b) * 8 + (a <= b) + (a >= b)',
      'min(a, b) + max(b, 1) + min(max(a, -1), 1)',
      'pow(a, b) + floor(a) + sqrt(abs(b)) + log(abs(a)) + exp(-abs(b))',
      'sign(a) * erf(b) + tanh(a) + PI',
      'abs(a) <= w ? 1 / (2 * w) : 0',
    ];
    for (const expr of formulas) {
      const attrs = { expr, names: ['a', 'b'], params: { w: 0.5 } };
      expectAgree(
        'mapExpr',
        [
          { shape: [9], values: special },
          { shape: [9], values: special.slice().reverse() },
        ],
        attrs,
        NEAR,
      );
      expectAgree('mapExpr', [{ shape: [3, 7] }, { shape: [3, 7] }], attrs, NEAR);
    }
    const ints = { shape: [4], values: Int32Array.of(-3, 0, 5, 7) };
    expectAgree(
      'mapExpr',
      [ints, { shape: [4] }],
      { expr: 'a * b + a / 2', names: ['a', 'b'], params: {} },
      EXACT,
    );
  });

  it('mapExpr formulas that float32 evaluates exactly run four lanes a v128 with the same bits', () => {
    // Inputs, exact constants, negation, comparisons and conditionals, with one + − × ÷ at the
    // output (expr/f32.ts): the wasm module runs them in f32x4; the cpu kernel in float64. Special
    // values: signed zeros, NaN, infinities, subnormals, products and sums that overflow.
    const special = Float32Array.of(
      0,
      -0,
      NaN,
      1,
      -1,
      2.5,
      -3.5,
      Infinity,
      -Infinity,
      1e-45,
      -3e-39,
      3e38,
      -3e38,
      0.1,
      7,
    );
    const formulas = [
      '(z) < 0 ? 0 : ((z) >= 0 ? (z) : (z) + 1)',
      'g * (((z) > 0 ? (1) : 0))',
      'z + g',
      'z - g',
      'z * g',
      'z / g',
      '-z * g',
      'z ? g : 0.5',
      'z > g ? z * 0.25 : g - z',
      '(z == g) + (z <= g ? -0 : 3)',
    ];
    for (const expr of formulas) {
      const attrs = { expr, names: ['z', 'g'], params: {} };
      for (const length of [special.length, 4 * special.length + 3]) {
        const z = Float32Array.from({ length }, (_, i) => special[i % special.length]!);
        const g = Float32Array.from({ length }, (_, i) => special[(7 * i + 3) % special.length]!);
        const r = runBoth(
          'mapExpr',
          [
            { shape: [length], values: z },
            { shape: [length], values: g },
          ],
          attrs,
        );
        const bits = (v: Float32Array): number[] =>
          Array.from(new Uint32Array(v.buffer, v.byteOffset, v.length), (b, i) =>
            Number.isNaN(v[i]) ? -1 : b,
          );
        expect(bits(r.wasm as Float32Array), expr).toEqual(bits(r.cpu as Float32Array));
      }
      expectAgree('mapExpr', [{ shape: [5, 7] }, { shape: [5, 7] }], attrs, EXACT);
    }
  });

  it('mapExpr reports a formula that does not parse', () => {
    for (const expr of ['a +', '(a', 'a ? 1', 'exp(a', 'a a', 'min(a,)', 'min(a, a, 1)', 'max(a)', 'exp()']) {
      expect(() => runBoth('mapExpr', [{ shape: [3] }], { expr, names: ['a'], params: {} })).toThrow(
        ArgumentError,
      );
      expect(() =>
        withBackend('wasm', () =>
          tidy(() =>
            engine().runKernel('mapExpr', [tensor([1, 2], [2])], { expr, names: ['a'], params: {} }),
          ),
        ),
      ).toThrow(/does not parse/);
    }
  });

  it('mapExpr evaluates the formula on wasm memory', () => {
    const attrs = {
      expr: 'abs(z) <= w ? a * erf(z) + tanh(b) : sign(z) * exp(-z * z)',
      names: ['z', 'a', 'b'],
      params: { w: 0.7 },
    };
    expectAgree('mapExpr', [{ shape: [5, 7] }, { shape: [5, 7] }, { shape: [5, 7] }], attrs, EXACT);
  });

  const conv = (stride: number[], padding: number[], dilation: number[]): Record<string, unknown> => ({
    stride,
    padding,
    dilation,
  });
  const convCases: [number[], number[], Record<string, unknown>][] = [
    [[2, 3, 9, 7], [5, 3, 3, 3], conv([1, 1], [0, 0], [1, 1])],
    [[3, 2, 11, 10], [4, 2, 5, 3], conv([2, 1], [2, 1], [1, 1])],
    [[1, 3, 13, 9], [2, 3, 3, 2], conv([1, 2], [1, 0], [2, 3])],
    // Stride 1 with at most 32 channels and padding within the dilated kernel runs the direct
    // kernels (assembly/direct.ts): LeNet's two convolutions, odd widths (a row's last vector
    // only partly stored), odd channel counts (a register block half used), padding and dilation.
    [[3, 1, 28, 28], [6, 1, 5, 5], conv([1, 1], [2, 2], [1, 1])],
    [[3, 6, 14, 14], [16, 6, 5, 5], conv([1, 1], [0, 0], [1, 1])],
    [[2, 5, 13, 11], [7, 5, 3, 4], conv([1, 1], [1, 2], [2, 1])],
    [[1, 3, 6, 7], [1, 3, 2, 3], conv([1, 1], [1, 0], [1, 3])],
    // Output channels a multiple of 16 (forward) or input channels a multiple of 16 (input
    // gradient): the channel-vectorized kernels, odd widths, padding rows skipped, dilation.
    [[2, 5, 13, 11], [16, 5, 3, 4], conv([1, 1], [1, 2], [2, 1])],
    [[3, 16, 9, 7], [32, 16, 5, 5], conv([1, 1], [2, 2], [1, 1])],
    [[2, 16, 7, 9], [5, 16, 3, 3], conv([1, 1], [2, 1], [1, 1])],
    // Enough images: the image-lane kernels (four images to a v128, 2 x 2 tiles of pixels), a last
    // group of three images, tiles cut by an odd last row or column, padding and dilation.
    [[7, 1, 11, 14], [6, 1, 5, 5], conv([1, 1], [2, 2], [1, 1])],
    [[8, 6, 9, 7], [16, 6, 5, 5], conv([1, 1], [0, 0], [1, 1])],
    [[8, 3, 9, 13], [5, 3, 3, 4], conv([1, 1], [1, 2], [2, 1])],
    [[3, 1, 9, 6], [5, 1, 5, 5], conv([1, 1], [2, 2], [1, 1])], // dW: the last tap of all channels
    // Padding beyond the kernel's extent, more than 32 channels: the column-matrix path, which works
    // in chunks of images whose column matrix holds at most 2^16 floats: 9 images of 27 x 576
    // columns make three chunks (4 + 4 + 1); one image of 100 x 1296 columns is larger than a chunk
    // on its own.
    [[2, 3, 8, 9], [3, 3, 1, 1], conv([1, 1], [1, 1], [1, 1])],
    [[9, 3, 26, 26], [33, 3, 3, 3], conv([1, 1], [0, 0], [1, 1])],
    [[2, 33, 40, 40], [3, 33, 5, 5], conv([1, 1], [0, 0], [1, 1])],
  ];

  it.each(WASM_VARIANT_BACKENDS)(
    'conv2d with a bias equals conv2d then the broadcast add, to the bit, on %s (every conv path)',
    (backend) => {
      for (const [xShape, wShape, attrs] of convCases) {
        const [x, w, bias] = [xShape, wShape, [wShape[0]!]].map((shape, i) =>
          tensor(
            randomValues(
              shape.reduce((a, b) => a * b, 1),
              5 + i,
            ),
            shape,
          ),
        );
        const window = attrs as Conv2dOptions;
        const [fused, separate] = withBackend(backend, () =>
          tidy(() => [
            conv2d(x!, w!, { ...window, bias: bias! })
              .dataSync()
              .slice(),
            add(conv2d(x!, w!, window), reshape(bias!, [1, wShape[0]!, 1, 1]))
              .dataSync()
              .slice(),
          ]),
        );
        expect(new Uint32Array(fused!.buffer)).toEqual(new Uint32Array(separate!.buffer));
      }
    },
  );

  it.each(WASM_VARIANT_BACKENDS)('conv2d and its gradients, im2col and col2im on %s', (backend) => {
    for (const [xShape, wShape, attrs] of convCases) {
      const k = wShape[1]! * wShape[2]! * wShape[3]!;
      const forward = runBoth('conv2d', [{ shape: xShape }, { shape: wShape }], attrs, 1, backend);
      expect(worstExcess(forward.cpu, forward.wasm, gemmTolerance(k).atol, 1e-5)).toBe(0);
      const yShape = forward.cpuShape;
      const area = yShape[2]! * yShape[3]!;
      expectAgree(
        'conv2dBackpropInput',
        [{ shape: yShape }, { shape: wShape }],
        { ...attrs, inputShape: xShape },
        gemmTolerance(wShape[0]!),
        backend,
      );
      expectAgree(
        'conv2dBackpropFilter',
        [{ shape: xShape }, { shape: yShape }],
        { ...attrs, filterShape: wShape },
        gemmTolerance(xShape[0]! * area),
        backend,
      );
      const window = { ...attrs, kernelSize: [wShape[2]!, wShape[3]!] };
      expectAgree('im2col', [{ shape: xShape }], window, EXACT, backend);
      expectAgree(
        'col2im',
        [{ shape: [k, xShape[0]! * area] }],
        { ...window, inputShape: xShape },
        NEAR,
        backend,
      );
    }
  });

  it('pooling and its gradients, padded and strided', () => {
    const cases = [
      { kernelSize: [2, 2], stride: [2, 2], padding: [0, 0] },
      { kernelSize: [3, 2], stride: [2, 1], padding: [1, 1] },
    ];
    const x = { shape: [2, 3, 9, 7] };
    for (const attrs of cases) {
      const pooled = runBoth('maxPool2d', [x], attrs);
      expect(pooled.wasm).toEqual(pooled.cpu);
      expectAgree('avgPool2d', [x], attrs, EXACT);
      expectAgree('maxPool2dBackward', [{ shape: pooled.cpuShape }, x], attrs, EXACT);
      expectAgree(
        'avgPool2dBackward',
        [{ shape: pooled.cpuShape }],
        { ...attrs, inputShape: x.shape },
        EXACT,
      );
    }
    // Ties, NaN and -0 in 2x2 windows (the fast path), one row and column left over.
    const special = {
      shape: [1, 1, 3, 5],
      values: Float32Array.of(1, 1, NaN, 2, 7, 1, 0, 3, NaN, 7, -0, 0, 5, 5, 7),
    };
    const pair = cases[0]!;
    expectAgree('maxPool2d', [special], pair, EXACT);
    expectAgree('maxPool2dBackward', [{ shape: [1, 1, 1, 2] }, special], pair, EXACT);
    expectAgree('avgPool2d', [special], pair, EXACT);
    // Even sizes (no element left uncovered) and rows of several vectors plus a remainder: the
    // vector loops of the 2x2 average pool and its gradient; -0, NaN, subnormals in dY.
    const even = { shape: [2, 3, 12, 18] };
    expectAgree('avgPool2d', [even], pair, EXACT);
    expectAgree('avgPool2dBackward', [{ shape: [2, 3, 6, 9] }], { ...pair, inputShape: even.shape }, EXACT);
    const dy = Float32Array.from(
      { length: 2 * 3 * 6 * 9 },
      (_, i) => [-0, 0, NaN, 1e-45, -3e-39, 7, -2.5, Infinity][i % 8]!,
    );
    const back = runBoth('avgPool2dBackward', [{ shape: [2, 3, 6, 9], values: dy }], {
      ...pair,
      inputShape: even.shape,
    });
    const bits = (v: Float32Array): number[] =>
      Array.from(new Uint32Array(v.buffer, v.byteOffset, v.length), (b, i) => (Number.isNaN(v[i]) ? -1 : b));
    expect(bits(back.wasm as Float32Array)).toEqual(bits(back.cpu as Float32Array));
  });

  it('in-place kernels write into their target', () => {
    expectAgree('addInPlace', [{ shape: [5, 7] }, { shape: [7] }], { alpha: -0.3 }, NEAR);
    expectAgree('addInPlace', [{ shape: [1031] }, { shape: [1031] }], { alpha: 0.01 }, NEAR);
    expectAgree('scaleInPlace', [{ shape: [1031] }], { factor: 0.9 }, NEAR);
    expectAgree('assignInPlace', [{ shape: [5, 7] }, { shape: [5, 1] }], {}, EXACT);
    expectAgree('fillInPlace', [{ shape: [13] }], { value: 2.5 }, EXACT);
    const ints = Int32Array.of(1, 2, 3);
    expectAgree(
      'addInPlace',
      [
        { shape: [3], values: ints },
        { shape: [3], values: ints },
      ],
      { alpha: 2 },
      EXACT,
    );
  });

  it('random values are seeded', () => {
    expect(randomValues(5, 3)).toEqual(randomValues(5, 3));
  });
});
