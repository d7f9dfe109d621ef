import type { Contender } from '../contender';
import type { ConvSpec, MatmulSpec } from '../workloads';

/** The textbook i-j-k triple loop (dot product per output element). */
function naiveMatmul({ m, k, n, a, b }: MatmulSpec): Float32Array {
  const c = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += a[i * k + p]! * b[p * n + j]!;
      c[i * n + j] = sum;
    }
  }
  return c;
}

/** Direct convolution (stride 1, no padding) by the definition: seven nested loops. */
function naiveConvForward({ xShape, wShape, yShape, x, w: filter }: ConvSpec): Float32Array[] {
  const [n, c, h, w] = xShape;
  const [o, , kh, kw] = wShape;
  const [, , oh, ow] = yShape;
  const y = new Float32Array(n * o * oh * ow);
  for (let b = 0; b < n; b++) {
    for (let oc = 0; oc < o; oc++) {
      for (let oy = 0; oy < oh; oy++) {
        for (let ox = 0; ox < ow; ox++) {
          let sum = 0;
          for (let ic = 0; ic < c; ic++) {
            for (let i = 0; i < kh; i++) {
              const xRow = ((b * c + ic) * h + oy + i) * w + ox;
              const wRow = ((oc * c + ic) * kh + i) * kw;
              for (let j = 0; j < kw; j++) sum += x[xRow + j]! * filter[wRow + j]!;
            }
          }
          y[((b * o + oc) * oh + oy) * ow + ox] = sum;
        }
      }
    }
  }
  return [y];
}

/** Both convolution gradients `dx` and `dw` by the definition, in one pass over the same loops. */
function naiveConvBackward({ xShape, wShape, yShape, x, w: filter, dy }: ConvSpec): Float32Array[] {
  const [n, c, h, w] = xShape;
  const [o, , kh, kw] = wShape;
  const [, , oh, ow] = yShape;
  const dx = new Float32Array(x.length);
  const dw = new Float32Array(filter.length);
  for (let b = 0; b < n; b++) {
    for (let oc = 0; oc < o; oc++) {
      for (let oy = 0; oy < oh; oy++) {
        for (let ox = 0; ox < ow; ox++) {
          const g = dy[((b * o + oc) * oh + oy) * ow + ox]!;
          for (let ic = 0; ic < c; ic++) {
            for (let i = 0; i < kh; i++) {
              const xRow = ((b * c + ic) * h + oy + i) * w + ox;
              const wRow = ((oc * c + ic) * kh + i) * kw;
              for (let j = 0; j < kw; j++) {
                dx[xRow + j] = dx[xRow + j]! + g * filter[wRow + j]!;
                dw[wRow + j] = dw[wRow + j]! + g * x[xRow + j]!;
              }
            }
          }
        }
      }
    }
  }
  return [dx, dw];
}

/** Naive loops on Float32Array: the baseline every ratio in the report is taken against. */
export const naiveContender: Contender = {
  name: 'naive',
  prepare({ spec }) {
    switch (spec.kind) {
      case 'matmul':
        return () => [naiveMatmul(spec)];
      case 'conv2dForward':
        return () => naiveConvForward(spec);
      case 'conv2dBackward':
        return () => naiveConvBackward(spec);
      default:
        return null;
    }
  },
};
