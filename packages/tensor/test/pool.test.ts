import { describe, expect, it } from 'vitest';
import {
  ArgumentError,
  DTypeError,
  Rng,
  ShapeError,
  avgPool2d,
  avgPool2dBackward,
  maxPool2d,
  maxPool2dBackward,
  tensor,
} from '../src';
import { uniformValues } from './helpers';

/** A random pooling problem whose padding is at most half the window. */
interface Problem {
  shape: [number, number, number, number];
  kernel: [number, number];
  stride: [number, number];
  padding: [number, number];
  oh: number;
  ow: number;
  x: Float32Array;
  dy: Float32Array;
}

function randomProblem(rng: Rng, distinctValues: boolean): Problem {
  for (;;) {
    const shape: [number, number, number, number] = [
      1 + rng.int(3),
      1 + rng.int(3),
      1 + rng.int(8),
      1 + rng.int(8),
    ];
    const kernel: [number, number] = [1 + rng.int(4), 1 + rng.int(4)];
    const stride: [number, number] = [1 + rng.int(3), 1 + rng.int(3)];
    const padding: [number, number] = [
      rng.int(Math.floor(kernel[0] / 2) + 1),
      rng.int(Math.floor(kernel[1] / 2) + 1),
    ];
    const [, , h, w] = shape;
    if (kernel[0] > h + 2 * padding[0] || kernel[1] > w + 2 * padding[1]) continue;
    const oh = Math.floor((h + 2 * padding[0] - kernel[0]) / stride[0]) + 1;
    const ow = Math.floor((w + 2 * padding[1] - kernel[1]) / stride[1]) + 1;
    const x = new Float32Array(shape.reduce((a, b) => a * b));
    // small integers make ties likely, exercising the first-maximum rule
    for (let i = 0; i < x.length; i++) x[i] = distinctValues ? rng.uniform() * 2 - 1 : rng.int(3) - 1;
    const dy = uniformValues(rng, shape[0] * shape[1] * oh * ow);
    return { shape, kernel, stride, padding, oh, ow, x, dy };
  }
}

/**
 * Visits every pooling window: `visit(outIndex, taps)` gets the flat output index and the flat
 * input indices of the window's real elements in row-major window order, plus the window size.
 */
function forEachWindow(p: Problem, visit: (out: number, taps: number[]) => void): void {
  const [n, c, h, w] = p.shape;
  let out = 0;
  for (let plane = 0; plane < n * c; plane++) {
    for (let oy = 0; oy < p.oh; oy++) {
      for (let ox = 0; ox < p.ow; ox++) {
        const taps: number[] = [];
        for (let i = 0; i < p.kernel[0]; i++) {
          for (let j = 0; j < p.kernel[1]; j++) {
            const iy = oy * p.stride[0] - p.padding[0] + i;
            const ix = ox * p.stride[1] - p.padding[1] + j;
            if (iy >= 0 && iy < h && ix >= 0 && ix < w) taps.push((plane * h + iy) * w + ix);
          }
        }
        visit(out++, taps);
      }
    }
  }
}

/** Index of the first maximum among `taps`. */
function firstArgmax(x: Float32Array, taps: number[]): number {
  let best = taps[0]!;
  for (const t of taps) if (x[t]! > x[best]!) best = t;
  return best;
}

function options(p: Problem): {
  kernelSize: [number, number];
  stride: [number, number];
  padding: [number, number];
} {
  return { kernelSize: p.kernel, stride: p.stride, padding: p.padding };
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++)
    expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThan(tolerance);
}

describe('maxPool2d', () => {
  it('pools hand-checked 2x2 windows, padding acting as -inf', () => {
    const x = tensor([-1, -2, -3, -4, -5, -6, -7, -8, -9], [1, 1, 3, 3]);
    expect(maxPool2d(x, { kernelSize: 2, stride: 1 }).toArray()).toEqual([
      [
        [
          [-1, -2],
          [-4, -5],
        ],
      ],
    ]);
    // padding 1, stride 2: windows see {-1}, {-2,-3}, {-4,-7}, {-5,-6,-8,-9}
    expect(maxPool2d(x, { kernelSize: 2, stride: 2, padding: 1 }).toArray()).toEqual([
      [
        [
          [-1, -2],
          [-4, -5],
        ],
      ],
    ]);
    // stride defaults to the window: one 2x2 window fits in 3x3
    expect(maxPool2d(x, { kernelSize: 2 }).shape).toEqual([1, 1, 1, 1]);
  });

  it('matches a direct implementation (forward and gradient) on random shapes', () => {
    const rng = new Rng(20);
    for (let trial = 0; trial < 60; trial++) {
      const p = randomProblem(rng, trial % 2 === 0);
      const x = tensor(p.x, p.shape);
      const y = maxPool2d(x, options(p));
      expect(y.shape).toEqual([p.shape[0], p.shape[1], p.oh, p.ow]);
      const expectedY = new Float32Array(y.size);
      const expectedDx = new Float64Array(p.x.length);
      forEachWindow(p, (out, taps) => {
        const at = firstArgmax(p.x, taps);
        expectedY[out] = p.x[at]!;
        expectedDx[at] = expectedDx[at]! + p.dy[out]!;
      });
      expect(Array.from(y.dataSync())).toEqual(Array.from(expectedY));
      const dx = maxPool2dBackward(tensor(p.dy, y.shape), x, options(p));
      expect(dx.shape).toEqual(x.shape);
      expectClose(dx.dataSync(), expectedDx, 1e-5);
    }
  });

  it('sends the gradient to the first maximum of a tied window', () => {
    const x = tensor([3, 3, 3, 3], [1, 1, 2, 2]);
    const dx = maxPool2dBackward(tensor([1], [1, 1, 1, 1]), x, { kernelSize: 2 });
    expect(Array.from(dx.dataSync())).toEqual([1, 0, 0, 0]);
  });

  it('propagates NaN like PyTorch', () => {
    const x = tensor([1, NaN, 2, 0], [1, 1, 2, 2]);
    expect(Number.isNaN(maxPool2d(x, { kernelSize: 2 }).item())).toBe(true);
    expect(Array.from(maxPool2dBackward(tensor([1], [1, 1, 1, 1]), x, { kernelSize: 2 }).dataSync())).toEqual(
      [0, 1, 0, 0],
    );
  });
});

describe('avgPool2d', () => {
  it('divides by the full window, counting padding (count_include_pad)', () => {
    const x = tensor([1, 2, 3, 4], [1, 1, 2, 2]);
    expect(avgPool2d(x, { kernelSize: 2 }).item()).toBe(2.5);
    // padding 1, stride 2: each window holds one real element and three zeros
    expect(avgPool2d(x, { kernelSize: 2, padding: 1 }).toArray()).toEqual([
      [
        [
          [0.25, 0.5],
          [0.75, 1],
        ],
      ],
    ]);
    expect(
      Array.from(
        avgPool2dBackward(tensor([4, 4, 4, 4], [1, 1, 2, 2]), {
          kernelSize: 2,
          padding: 1,
          inputShape: [1, 1, 2, 2],
        }).dataSync(),
      ),
    ).toEqual([1, 1, 1, 1]);
  });

  it('matches a direct implementation (forward and gradient) on random shapes', () => {
    const rng = new Rng(21);
    for (let trial = 0; trial < 60; trial++) {
      const p = randomProblem(rng, true);
      const area = p.kernel[0] * p.kernel[1];
      const y = avgPool2d(tensor(p.x, p.shape), options(p));
      const expectedY = new Float64Array(y.size);
      const expectedDx = new Float64Array(p.x.length);
      forEachWindow(p, (out, taps) => {
        for (const t of taps) {
          expectedY[out] = expectedY[out]! + p.x[t]! / area;
          expectedDx[t] = expectedDx[t]! + p.dy[out]! / area;
        }
      });
      expectClose(y.dataSync(), expectedY, 1e-5);
      const dx = avgPool2dBackward(tensor(p.dy, y.shape), { ...options(p), inputShape: p.shape });
      expectClose(dx.dataSync(), expectedDx, 1e-5);
    }
  });

  it('has a backward that is the adjoint of the forward: <avg(x), dy> = <x, avgBackward(dy)>', () => {
    const rng = new Rng(22);
    for (let trial = 0; trial < 20; trial++) {
      const p = randomProblem(rng, true);
      const y = avgPool2d(tensor(p.x, p.shape), options(p)).dataSync();
      const dx = avgPool2dBackward(tensor(p.dy, [p.shape[0], p.shape[1], p.oh, p.ow]), {
        ...options(p),
        inputShape: p.shape,
      }).dataSync();
      let lhs = 0;
      let rhs = 0;
      for (let i = 0; i < y.length; i++) lhs += y[i]! * p.dy[i]!;
      for (let i = 0; i < dx.length; i++) rhs += p.x[i]! * dx[i]!;
      expect(Math.abs(lhs - rhs)).toBeLessThan(1e-5 * Math.max(1, Math.abs(lhs)));
    }
  });
});

describe('pool errors', () => {
  const x = tensor(new Float32Array(2 * 3 * 4 * 4), [2, 3, 4, 4]);

  it('rejects a wrong rank, naming the op and the shape', () => {
    expect(() => maxPool2d(tensor(new Float32Array(16), [4, 4]), { kernelSize: 2 })).toThrow(
      /maxPool2d: input shape \[4, 4\] has rank 2; expected \[N, C, H, W\]/,
    );
  });

  it('rejects a window larger than the padded input', () => {
    expect(() => avgPool2d(x, { kernelSize: 5 })).toThrow(ShapeError);
    expect(() => avgPool2d(x, { kernelSize: 5 })).toThrow(
      /avgPool2d: window 5x5 .* larger than the padded input 4x4/,
    );
  });

  it('rejects bad window parameters', () => {
    expect(() => maxPool2d(x, { kernelSize: 2, stride: 0 })).toThrow(ArgumentError);
    expect(() => maxPool2d(x, { kernelSize: 2, stride: 0 })).toThrow(
      /maxPool2d: stride \[0,0\]; expected an integer >= 1/,
    );
    expect(() => maxPool2d(x, { kernelSize: 0 })).toThrow(/kernelSize \[0,0\]/);
    expect(() => maxPool2d(x, { kernelSize: 2, padding: 2 })).toThrow(
      /maxPool2d: padding \[2, 2\] is more than half of kernelSize \[2, 2\]/,
    );
    expect(() => maxPool2d(tensor(new Float32Array(0), [1, 1, 0, 3]), { kernelSize: 2, padding: 1 })).toThrow(
      /has an empty plane/,
    );
  });

  it('checks the gradient shapes and dtypes', () => {
    expect(() => maxPool2dBackward(tensor(new Float32Array(4), [1, 1, 2, 2]), x, { kernelSize: 2 })).toThrow(
      /maxPool2dBackward: dy has shape \[1, 1, 2, 2\]; expected \[2, 3, 2, 2\]/,
    );
    expect(() =>
      avgPool2dBackward(tensor(new Float32Array(4), [1, 1, 2, 2]), {
        kernelSize: 2,
        inputShape: [1, 1, 5, 5],
      }),
    ).not.toThrow();
    expect(() =>
      avgPool2dBackward(tensor(new Float32Array(4), [1, 1, 2, 2]), {
        kernelSize: 2,
        inputShape: [1, 1, 6, 6],
      }),
    ).toThrow(/avgPool2dBackward: dy has shape \[1, 1, 2, 2\]; expected \[1, 1, 3, 3\]/);
    expect(() => avgPool2d(tensor(new Int32Array(16), [1, 1, 4, 4]), { kernelSize: 2 })).toThrow(DTypeError);
  });
});
