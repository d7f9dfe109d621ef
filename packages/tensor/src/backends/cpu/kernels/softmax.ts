import type { KernelDef } from '../../../backend/interface';
import type { TypedArray } from '../../../dtype';
import { axisLayout } from '../iterate';
import { output, valuesOf } from '../io';
import { assertIndex } from './shape';

/**
 * Writes softmax (or log-softmax) of every line along the axis: `outer` × `inner` lines of `n`
 * elements spaced `inner` apart. The maximum is subtracted first, so no exponent overflows; each
 * exponential is computed once, kept in float64 and rounded to float32 only after the division.
 */
function softmaxLines(
  x: TypedArray,
  out: Float32Array,
  outer: number,
  n: number,
  inner: number,
  log: boolean,
): void {
  const exps = new Float64Array(log ? 0 : n);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const start = o * n * inner + i;
      const end = start + n * inner;
      let m = -Infinity;
      for (let j = start; j < end; j += inner) if (x[j]! > m) m = x[j]!;
      let s = 0;
      if (log) {
        for (let j = start; j < end; j += inner) s += Math.exp(x[j]! - m);
        const shift = m + Math.log(s);
        for (let j = start; j < end; j += inner) out[j] = x[j]! - shift;
      } else {
        for (let j = start, k = 0; j < end; j += inner, k++) {
          const e = Math.exp(x[j]! - m);
          exps[k] = e;
          s += e;
        }
        for (let j = start, k = 0; j < end; j += inner, k++) out[j] = exps[k]! / s;
      }
    }
  }
}

const softmaxKernel = (kernelName: string, log: boolean): KernelDef<{ axis: number }> => ({
  kernelName,
  kernelFunc: (inputs, attrs, backend) => {
    const info = inputs[0]!;
    const { outer, axisSize, inner } = axisLayout(info.shape, attrs.axis);
    const out = new Float32Array(outer * axisSize * inner);
    softmaxLines(valuesOf(backend, info), out, outer, axisSize, inner, log);
    return output(backend, out, info.shape);
  },
});

/**
 * `negLogLikelihood` (log-probabilities `[N, C]`, int32 labels `[N]`): per row, the float64 sum of
 * each element times 1 at the label and 0 elsewhere, in order, rounded to float32 and negated — the
 * one-hot product's row sum to the bit, without the one-hot matrix.
 */
const negLogLikelihood: KernelDef = {
  kernelName: 'negLogLikelihood',
  kernelFunc: ([scores, labels], _attrs, backend) => {
    const [n, c] = scores!.shape as [number, number];
    const x = valuesOf(backend, scores!);
    const y = valuesOf(backend, labels!);
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const label = y[i]!;
      assertIndex('negLogLikelihood', 'label', label, i, c, `for ${c} classes`);
      let sum = 0;
      for (let j = 0; j < c; j++) sum += x[i * c + j]! * (j === label ? 1 : 0);
      out[i] = -Math.fround(sum);
    }
    return output(backend, out, [n]);
  },
};

/** `negLogLikelihoodBackward` (dy `[N]`, int32 labels `[N]`; attr `classes`): −dy[i] times the one-hot row. */
const negLogLikelihoodBackward: KernelDef<{ classes: number }> = {
  kernelName: 'negLogLikelihoodBackward',
  kernelFunc: ([dy, labels], { classes }, backend) => {
    const n = dy!.shape[0]!;
    const g = valuesOf(backend, dy!);
    const y = valuesOf(backend, labels!);
    const out = new Float32Array(n * classes);
    for (let i = 0; i < n; i++) {
      const label = y[i]!;
      assertIndex('negLogLikelihoodBackward', 'label', label, i, classes, `for ${classes} classes`);
      const minus = -g[i]!;
      for (let j = 0; j < classes; j++) out[i * classes + j] = minus * (j === label ? 1 : 0);
    }
    return output(backend, out, [n, classes]);
  },
};

/** CPU kernels of the softmax family (and the negative log-likelihood of its log form). */
export const softmaxKernels: KernelDef[] = [
  softmaxKernel('softmax', false),
  softmaxKernel('logSoftmax', true),
  negLogLikelihood,
  negLogLikelihoodBackward,
];
