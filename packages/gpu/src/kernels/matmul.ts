import { matMulDims } from '@fbt/tensor';
import { coords } from '../codegen';
import { defineKernel, input, type GpuKernelDef } from './define';

interface MatMulAttrs {
  readonly transposeA: boolean;
  readonly transposeB: boolean;
}

/**
 * `matMul`: one output element per thread, a dot product of length K, plus the bias (the optional
 * third input) of its column; transpose flags and batch broadcasting.
 */
export const matmulKernels: GpuKernelDef[] = [
  defineKernel<MatMulAttrs>('matMul', (inputs, { transposeA, transposeB }, backend) => {
    const a = input(inputs, 0, 'matMul');
    const b = input(inputs, 1, 'matMul');
    const bias = inputs[2];
    const { batch, batchA, batchB, m, n, k, outShape } = matMulDims(a.shape, b.shape, transposeA, transposeB);
    const aBatch = batchA === 1 ? '0' : `c0 * ${m * k}`;
    const bBatch = batchB === 1 ? '0' : `c0 * ${k * n}`;
    const body = [
      coords('i', [batch, m, n], 'c'),
      `const aBase = ${aBatch} + ${transposeA ? 'c1' : `c1 * ${k}`};`,
      `const bBase = ${bBatch} + ${transposeB ? `c2 * ${k}` : 'c2'};`,
      'let acc = 0;',
      `for (let t = 0; t < ${k}; t++) {`,
      `acc = acc + x0[aBase + t * ${transposeA ? m : 1}] * x1[bBase + t * ${transposeB ? 1 : n}];`,
      '}',
      bias === undefined ? 'return acc;' : 'return acc + x2[c2];',
    ].join('\n');
    return backend.run(
      { name: 'matMul', body, loopMax: k },
      bias === undefined ? [a, b] : [a, b, bias],
      outShape,
    );
  }),
];
