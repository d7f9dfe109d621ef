import { describe, expect, it } from 'vitest';
import {
  ArgumentError,
  DTypeError,
  Rng,
  ShapeError,
  add,
  col2im,
  conv2d,
  conv2dBackpropFilter,
  conv2dBackpropInput,
  im2col,
  reshape,
  tensor,
  type Tensor,
} from '../src';
import { expectBiasRejected, uniformValues, worstError } from './helpers';

/** A random convolution problem: shapes, window parameters and data. */
interface Problem {
  n: number;
  c: number;
  h: number;
  w: number;
  o: number;
  kh: number;
  kw: number;
  stride: [number, number];
  padding: [number, number];
  dilation: [number, number];
  oh: number;
  ow: number;
  x: Float32Array;
  filter: Float32Array;
  dy: Float32Array;
}

/** Draws shapes and parameters until the dilated window fits the padded input. */
function randomProblem(rng: Rng): Problem {
  for (;;) {
    const [n, c, o] = [1 + rng.int(3), 1 + rng.int(4), 1 + rng.int(5)];
    const [h, w] = [1 + rng.int(9), 1 + rng.int(9)];
    const [kh, kw] = [1 + rng.int(4), 1 + rng.int(4)];
    const stride: [number, number] = [1 + rng.int(3), 1 + rng.int(3)];
    const padding: [number, number] = [rng.int(3), rng.int(3)];
    const dilation: [number, number] = [1 + rng.int(2), 1 + rng.int(2)];
    const spanH = dilation[0] * (kh - 1) + 1;
    const spanW = dilation[1] * (kw - 1) + 1;
    if (spanH > h + 2 * padding[0] || spanW > w + 2 * padding[1]) continue;
    const oh = Math.floor((h + 2 * padding[0] - spanH) / stride[0]) + 1;
    const ow = Math.floor((w + 2 * padding[1] - spanW) / stride[1]) + 1;
    return {
      ...{ n, c, h, w, o, kh, kw, stride, padding, dilation, oh, ow },
      x: uniformValues(rng, n * c * h * w),
      filter: uniformValues(rng, o * c * kh * kw),
      dy: uniformValues(rng, n * o * oh * ow),
    };
  }
}

/**
 * Visits every (output position, filter tap) pair of a convolution that reads a real input
 * element, passing the flat indices into x, the filter and y: the direct definition that the three
 * naive references below share.
 */
function forEachTap(p: Problem, visit: (xi: number, wi: number, yi: number) => void): void {
  for (let n = 0; n < p.n; n++) {
    for (let o = 0; o < p.o; o++) {
      for (let oy = 0; oy < p.oh; oy++) {
        for (let ox = 0; ox < p.ow; ox++) {
          const yi = ((n * p.o + o) * p.oh + oy) * p.ow + ox;
          for (let c = 0; c < p.c; c++) {
            for (let i = 0; i < p.kh; i++) {
              const iy = oy * p.stride[0] - p.padding[0] + i * p.dilation[0];
              if (iy < 0 || iy >= p.h) continue;
              for (let j = 0; j < p.kw; j++) {
                const ix = ox * p.stride[1] - p.padding[1] + j * p.dilation[1];
                if (ix < 0 || ix >= p.w) continue;
                visit(((n * p.c + c) * p.h + iy) * p.w + ix, ((o * p.c + c) * p.kh + i) * p.kw + j, yi);
              }
            }
          }
        }
      }
    }
  }
}

function naiveConv(p: Problem): Float64Array {
  const y = new Float64Array(p.n * p.o * p.oh * p.ow);
  forEachTap(p, (xi, wi, yi) => (y[yi] = y[yi]! + p.x[xi]! * p.filter[wi]!));
  return y;
}

function naiveBackpropInput(p: Problem): Float64Array {
  const dx = new Float64Array(p.x.length);
  forEachTap(p, (xi, wi, yi) => (dx[xi] = dx[xi]! + p.dy[yi]! * p.filter[wi]!));
  return dx;
}

function naiveBackpropFilter(p: Problem): Float64Array {
  const dw = new Float64Array(p.filter.length);
  forEachTap(p, (xi, wi, yi) => (dw[wi] = dw[wi]! + p.dy[yi]! * p.x[xi]!));
  return dw;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

const TOLERANCE = 1e-5;

function tensors(p: Problem): { x: Tensor; w: Tensor; dy: Tensor } {
  return {
    x: tensor(p.x, [p.n, p.c, p.h, p.w]),
    w: tensor(p.filter, [p.o, p.c, p.kh, p.kw]),
    dy: tensor(p.dy, [p.n, p.o, p.oh, p.ow]),
  };
}

describe('conv2d', () => {
  it('computes a hand-checked 3x3 input with a 2x2 filter', () => {
    const x = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 1, 3, 3]);
    const w = tensor([1, 0, 0, -1], [1, 1, 2, 2]);
    // y[i][j] = x[i][j] - x[i+1][j+1] = -4 everywhere
    expect(conv2d(x, w).toArray()).toEqual([
      [
        [
          [-4, -4],
          [-4, -4],
        ],
      ],
    ]);
    // padding 1, stride 2: windows at (-1,-1), (-1,1), (1,-1), (1,1)
    expect(conv2d(x, w, { padding: 1, stride: 2 }).toArray()).toEqual([
      [
        [
          [-1, -3],
          [-7, -4],
        ],
      ],
    ]);
  });

  it('matches a direct convolution on random shapes with stride, padding and dilation', () => {
    const rng = new Rng(10);
    for (let trial = 0; trial < 40; trial++) {
      const p = randomProblem(rng);
      const { x, w } = tensors(p);
      const y = conv2d(x, w, { stride: p.stride, padding: p.padding, dilation: p.dilation });
      expect(y.shape).toEqual([p.n, p.o, p.oh, p.ow]);
      expect(worstError(y.dataSync(), naiveConv(p))).toBeLessThan(TOLERANCE);
    }
  });

  it('computes both gradients like the direct definition', () => {
    const rng = new Rng(11);
    for (let trial = 0; trial < 40; trial++) {
      const p = randomProblem(rng);
      const { x, w, dy } = tensors(p);
      const options = { stride: p.stride, padding: p.padding, dilation: p.dilation };
      const dx = conv2dBackpropInput(dy, w, { ...options, inputShape: x.shape });
      const dw = conv2dBackpropFilter(x, dy, { ...options, filterShape: w.shape });
      expect(dx.shape).toEqual(x.shape);
      expect(dw.shape).toEqual(w.shape);
      expect(worstError(dx.dataSync(), naiveBackpropInput(p))).toBeLessThan(TOLERANCE);
      expect(worstError(dw.dataSync(), naiveBackpropFilter(p))).toBeLessThan(TOLERANCE);
    }
  });

  it('has gradient kernels that are adjoints: <conv(x,w), dy> = <x, dX(dy)> = <w, dW(x,dy)>', () => {
    const rng = new Rng(12);
    for (let trial = 0; trial < 20; trial++) {
      const p = randomProblem(rng);
      const { x, w, dy } = tensors(p);
      const options = { stride: p.stride, padding: p.padding, dilation: p.dilation };
      const forward = dot(conv2d(x, w, options).dataSync(), p.dy);
      const viaInput = dot(p.x, conv2dBackpropInput(dy, w, { ...options, inputShape: x.shape }).dataSync());
      const viaFilter = dot(
        p.filter,
        conv2dBackpropFilter(x, dy, { ...options, filterShape: w.shape }).dataSync(),
      );
      const scale = Math.max(1, Math.abs(forward));
      expect(Math.abs(viaInput - forward) / scale).toBeLessThan(1e-5);
      expect(Math.abs(viaFilter - forward) / scale).toBeLessThan(1e-5);
    }
  });

  it('crosses the GEMM block sizes (C·kh·kw > 256) correctly', () => {
    const rng = new Rng(13);
    const p: Problem = {
      ...{ n: 2, c: 12, h: 9, w: 8, o: 5, kh: 5, kw: 5, oh: 5, ow: 4 },
      stride: [1, 1],
      padding: [0, 0],
      dilation: [1, 1],
      x: uniformValues(rng, 2 * 12 * 9 * 8),
      filter: uniformValues(rng, 5 * 12 * 25),
      dy: uniformValues(rng, 2 * 5 * 5 * 4),
    };
    const { x, w, dy } = tensors(p);
    expect(worstError(conv2d(x, w).dataSync(), naiveConv(p))).toBeLessThan(TOLERANCE);
    const dw = conv2dBackpropFilter(x, dy, { filterShape: w.shape });
    expect(worstError(dw.dataSync(), naiveBackpropFilter(p))).toBeLessThan(TOLERANCE);
  });
});

describe('im2col and col2im', () => {
  it('unfolds windows into columns, zero in the padding', () => {
    const x = tensor([1, 2, 3, 4], [1, 1, 2, 2]);
    // 2x2 windows, padding 1, stride 2: four windows, each sees one real element
    const cols = im2col(x, { kernelSize: 2, stride: 2, padding: 1 });
    expect(cols.toArray()).toEqual([
      [0, 0, 0, 4],
      [0, 0, 3, 0],
      [0, 2, 0, 0],
      [1, 0, 0, 0],
    ]);
    expect(
      Array.from(col2im(cols, { kernelSize: 2, stride: 2, padding: 1, inputShape: [1, 1, 2, 2] }).dataSync()),
    ).toEqual([1, 2, 3, 4]);
  });

  it('lays out a batch as [C·kh·kw, N·OH·OW] and col2im sums overlaps (adjoint of im2col)', () => {
    const rng = new Rng(14);
    for (let trial = 0; trial < 20; trial++) {
      const p = randomProblem(rng);
      const options = {
        kernelSize: [p.kh, p.kw] as const,
        stride: p.stride,
        padding: p.padding,
        dilation: p.dilation,
      };
      const cols = im2col(tensor(p.x, [p.n, p.c, p.h, p.w]), options);
      const rows = p.c * p.kh * p.kw;
      expect(cols.shape).toEqual([rows, p.n * p.oh * p.ow]);
      // conv = W[O, rows] · cols, reshaped: checks the column layout against the direct convolution
      const y = new Float64Array(p.n * p.o * p.oh * p.ow);
      const colData = cols.dataSync();
      const area = p.oh * p.ow;
      for (let n = 0; n < p.n; n++)
        for (let o = 0; o < p.o; o++)
          for (let q = 0; q < area; q++) {
            let sum = 0;
            for (let r = 0; r < rows; r++)
              sum += p.filter[o * rows + r]! * colData[r * p.n * area + n * area + q]!;
            y[(n * p.o + o) * area + q] = sum;
          }
      expect(worstError(y, naiveConv(p))).toBeLessThan(TOLERANCE);
      const c = uniformValues(rng, cols.size);
      const back = col2im(tensor(c, cols.shape), { ...options, inputShape: [p.n, p.c, p.h, p.w] });
      expect(Math.abs(dot(colData, c) - dot(p.x, back.dataSync()))).toBeLessThan(
        1e-4 * Math.max(1, Math.abs(dot(colData, c))),
      );
    }
  });
});

describe('conv2d with a bias', () => {
  it('adds bias[o] to output channel o, equal to the broadcast add to the bit', () => {
    const rng = new Rng(11);
    for (let trial = 0; trial < 20; trial++) {
      const p = randomProblem(rng);
      const x = tensor(p.x, [p.n, p.c, p.h, p.w]);
      const w = tensor(p.filter, [p.o, p.c, p.kh, p.kw]);
      const bias = tensor(uniformValues(rng, p.o), [p.o]);
      const window = { stride: p.stride, padding: p.padding, dilation: p.dilation };
      const fused = conv2d(x, w, { ...window, bias }).dataSync();
      const separate = add(conv2d(x, w, window), reshape(bias, [1, p.o, 1, 1])).dataSync();
      expect(fused).toEqual(separate);
      const b = bias.dataSync();
      const area = p.oh * p.ow;
      const expected = naiveConv(p).map((v, i) => v + b[Math.floor(i / area) % p.o]!);
      expect(worstError(fused, expected)).toBeLessThan(TOLERANCE);
    }
  });

  it('rejects a bias of the wrong shape, dtype or kind, naming the expected form', () => {
    const x = tensor(new Float32Array(2 * 3 * 5 * 5), [2, 3, 5, 5]);
    const w = tensor(new Float32Array(4 * 3 * 3 * 3), [4, 3, 3, 3]);
    expectBiasRejected('conv2d', 'output channel', (bias) => conv2d(x, w, { bias }));
  });
});

describe('conv errors', () => {
  const x = tensor(new Float32Array(2 * 3 * 5 * 5), [2, 3, 5, 5]);
  const w = tensor(new Float32Array(4 * 3 * 3 * 3), [4, 3, 3, 3]);

  it('rejects wrong ranks and a channel mismatch, naming both shapes', () => {
    expect(() => conv2d(tensor(new Float32Array(75), [3, 5, 5]), w)).toThrow(
      /conv2d: input shape \[3, 5, 5\] has rank 3; expected \[N, C, H, W\]/,
    );
    expect(() => conv2d(x, tensor(new Float32Array(27), [3, 3, 3]))).toThrow(
      /conv2d: filter shape \[3, 3, 3\] has rank 3; expected \[O, C, kh, kw\]/,
    );
    expect(() => conv2d(x, tensor(new Float32Array(4 * 2 * 9), [4, 2, 3, 3]))).toThrow(
      /conv2d: input \[2, 3, 5, 5\] has 3 channels but filter \[4, 2, 3, 3\] expects 2/,
    );
  });

  it('rejects a window larger than the padded input', () => {
    const big = tensor(new Float32Array(4 * 3 * 7 * 7), [4, 3, 7, 7]);
    expect(() => conv2d(x, big)).toThrow(ShapeError);
    expect(() => conv2d(x, big)).toThrow(/window 7x7 .* is larger than the padded input 5x5/);
    expect(() => conv2d(x, big, { padding: 1 })).not.toThrow();
    expect(() => conv2d(x, w, { dilation: 3 })).toThrow(
      /window 7x7 \(kernelSize \[3, 3\], dilation \[3, 3\]\)/,
    );
  });

  it('rejects non-positive or fractional strides and dilations, negative padding and bad pairs', () => {
    expect(() => conv2d(x, w, { stride: 0 })).toThrow(ArgumentError);
    expect(() => conv2d(x, w, { stride: [1, -2] })).toThrow(
      /conv2d: stride \[1,-2\]; expected an integer >= 1/,
    );
    expect(() => conv2d(x, w, { dilation: 1.5 })).toThrow(/dilation \[1.5,1.5\]/);
    expect(() => conv2d(x, w, { padding: -1 })).toThrow(/padding \[-1,-1\]; expected an integer >= 0/);
    expect(() => conv2d(x, w, { stride: [1, 1, 1] as unknown as [number, number] })).toThrow(
      /stride \[1,1,1\]; expected a number or a pair/,
    );
    expect(() => im2col(x, { kernelSize: 0 })).toThrow(/im2col: kernelSize \[0,0\]/);
  });

  it('checks the gradient shapes and dtypes', () => {
    const dy = tensor(new Float32Array(2 * 4 * 3 * 3), [2, 4, 3, 3]);
    expect(() => conv2dBackpropInput(dy, w, { inputShape: [2, 3, 6, 6] })).toThrow(
      /conv2dBackpropInput: dy has shape \[2, 4, 3, 3\]; expected \[2, 4, 4, 4\]/,
    );
    expect(() => conv2dBackpropFilter(x, dy, { filterShape: [4, 3, 2, 2] })).toThrow(
      /conv2dBackpropFilter: dy has shape \[2, 4, 3, 3\]; expected \[2, 4, 4, 4\]/,
    );
    expect(() => conv2dBackpropFilter(x, dy, { filterShape: [4, 2, 3, 3] })).toThrow(
      /has 3 channels but filter/,
    );
    expect(() => conv2dBackpropInput(dy, w, { inputShape: [2, 3, 5.5, 5] })).toThrow(ArgumentError);
    expect(() => conv2d(tensor(new Int32Array(2 * 3 * 25), [2, 3, 5, 5]), w)).toThrow(DTypeError);
    expect(() =>
      col2im(tensor(new Float32Array(10), [2, 5]), { kernelSize: 3, inputShape: [2, 3, 5, 5] }),
    ).toThrow(/col2im: cols has shape \[2, 5\]; expected \[27, 18\]/);
  });
});
