import type { KernelConfig } from '../../../backend/interface';
import type { TypedArray } from '../../../dtype';
import { axisLayout } from '../iterate';
import { output, valuesOf } from '../io';

/**
 * Writes softmax (or log-softmax) of every line along the axis: `outer` × `inner` lines of `n`
 * elements spaced `inner` apart. The maximum is subtracted first, so no exponent overflows.
 */
function softmaxLines(
  x: TypedArray,
  out: Float32Array,
  outer: number,
  n: number,
  inner: number,
  log: boolean,
): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const start = o * n * inner + i;
      const end = start + n * inner;
      let m = -Infinity;
      for (let j = start; j < end; j += inner) if (x[j]! > m) m = x[j]!;
      let s = 0;
      for (let j = start; j < end; j += inner) s += Math.exp(x[j]! - m);
      if (log) {
        const shift = m + Math.log(s);
        for (let j = start; j < end; j += inner) out[j] = x[j]! - shift;
      } else {
        for (let j = start; j < end; j += inner) out[j] = Math.exp(x[j]! - m) / s;
      }
    }
  }
}

const softmaxKernel = (kernelName: string, log: boolean): KernelConfig<{ axis: number }> => ({
  kernelName,
  backendName: 'cpu',
  kernelFunc: (inputs, attrs, backend) => {
    const info = inputs[0]!;
    const { outer, axisSize, inner } = axisLayout(info.shape, attrs.axis);
    const out = new Float32Array(outer * axisSize * inner);
    softmaxLines(valuesOf(backend, info), out, outer, axisSize, inner, log);
    return output(backend, out, info.shape);
  },
});

/** CPU kernels of the softmax family. */
export const softmaxKernels: KernelConfig<never>[] = [
  softmaxKernel('softmax', false),
  softmaxKernel('logSoftmax', true),
];
