import { stridesOf } from '@fbt/tensor';
import { coords, dot } from '../codegen';
import { defineKernel, input, type GpuKernelDef } from './define';

function softmaxKernel(name: 'softmax' | 'logSoftmax'): GpuKernelDef {
  return defineKernel<{ axis: number }>(name, (inputs, { axis }, backend) => {
    const x = input(inputs, 0, name);
    const n = x.shape[axis]!;
    const step = stridesOf(x.shape)[axis]!;
    const c = x.shape.map((_, k) => (k === axis ? '0' : `c${k}`));
    const body = [
      coords('i', x.shape, 'c'),
      `const base = ${dot(c, stridesOf(x.shape))};`,
      'let m = x0[base];',
      `for (let j = 1; j < ${n}; j++) { m = Math.max(m, x0[base + j * ${step}]); }`,
      'let s = 0;',
      `for (let j = 0; j < ${n}; j++) { s = s + Math.exp(x0[base + j * ${step}] - m); }`,
      name === 'softmax' ? 'return Math.exp(x0[i] - m) / s;' : 'return x0[i] - (m + Math.log(s));',
    ].join('\n');
    return backend.run({ name, body, loopMax: n }, [x], x.shape);
  });
}

/** `softmax` and `logSoftmax` along one axis, max-subtracted so no exponent overflows. */
export const softmaxKernels: GpuKernelDef[] = [softmaxKernel('softmax'), softmaxKernel('logSoftmax')];
