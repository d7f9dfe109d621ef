import { stridesOf } from '@fbt/tensor';
import { coords, dot } from '../codegen';
import { defineKernel, input, type GpuKernelDef } from './define';
import { assertIndices } from './shape';

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

/**
 * `negLogLikelihood`: per row of log-probabilities `[N, C]`, minus the sum of each element times 1
 * at the row's label (int32 `[N]`) and 0 elsewhere.
 */
const negLogLikelihood = defineKernel('negLogLikelihood', (inputs, _attrs, backend) => {
  const scores = input(inputs, 0, 'negLogLikelihood');
  const labels = input(inputs, 1, 'negLogLikelihood');
  const [n, c] = scores.shape as [number, number];
  assertIndices('negLogLikelihood', backend.readSync(labels.dataId), c, 'label');
  const body = [
    'const label = Math.floor(x1[i] + 0.5);',
    'let s = 0;',
    `for (let j = 0; j < ${c}; j++) { s = s + x0[i * ${c} + j] * (j === label ? 1 : 0); }`,
    'return -s;',
  ].join('\n');
  return backend.run({ name: 'negLogLikelihood', body, loopMax: c }, [scores, labels], [n]);
});

/** `negLogLikelihoodBackward`: `[N, classes]`, −dy[i] times the one-hot row of label i. */
const negLogLikelihoodBackward = defineKernel<{ classes: number }>(
  'negLogLikelihoodBackward',
  (inputs, { classes }, backend) => {
    const dy = input(inputs, 0, 'negLogLikelihoodBackward');
    const labels = input(inputs, 1, 'negLogLikelihoodBackward');
    assertIndices('negLogLikelihoodBackward', backend.readSync(labels.dataId), classes, 'label');
    const body = [
      `const row = fbtIdiv(i, ${classes});`,
      `return -x0[row] * (Math.floor(x1[row] + 0.5) === i - row * ${classes} ? 1 : 0);`,
    ].join('\n');
    return backend.run({ name: 'negLogLikelihoodBackward', body }, [dy, labels], [dy.shape[0]!, classes]);
  },
);

/**
 * `softmax` and `logSoftmax` along one axis, max-subtracted so no exponent overflows; the negative
 * log-likelihood of log-probabilities and its gradient.
 */
export const softmaxKernels: GpuKernelDef[] = [
  softmaxKernel('softmax'),
  softmaxKernel('logSoftmax'),
  negLogLikelihood,
  negLogLikelihoodBackward,
];
