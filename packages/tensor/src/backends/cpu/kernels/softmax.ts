import type { KernelDef } from '../../../backend/interface';
import type { TypedArray } from '../../../dtype';
import { axisLayout } from '../iterate';
import { output, valuesOf } from '../io';

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

/** CPU kernels of the softmax family. */
export const softmaxKernels: KernelDef[] = [
  softmaxKernel('softmax', false),
  softmaxKernel('logSoftmax', true),
];
