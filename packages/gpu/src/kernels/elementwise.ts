import { ArgumentError, elementwiseResultDType, type DType } from '@fbt/tensor';
import { defineKernel, input, type GpuKernelDef } from './define';
import { runMap } from './map';

const BINARY: Record<string, string> = {
  add: 'v0 + v1',
  sub: 'v0 - v1',
  mul: 'v0 * v1',
  div: 'v0 / v1',
  pow: 'fbtPow(v0, v1)',
  minimum: 'Math.min(v0, v1)',
  maximum: 'Math.max(v0, v1)',
};

const COMPARISONS: Record<string, string> = {
  greater: '>',
  greaterEqual: '>=',
  less: '<',
  lessEqual: '<=',
  equal: '===',
  notEqual: '!==',
};

const UNARY: Record<string, string> = {
  neg: '-v0',
  abs: 'Math.abs(v0)',
  exp: 'Math.exp(v0)',
  log: 'Math.log(v0)',
  sqrt: 'Math.sqrt(v0)',
  square: 'v0 * v0',
  tanh: 'fbtTanh(v0)',
  sigmoid: 'fbtSigmoid(v0)',
  relu: '(v0 < 0 ? 0 : v0)',
  sign: '(v0 < 0 ? -1 : (v0 >= 0 ? 1 : v0))',
  step: '(v0 < 0 ? 0 : (v0 >= 0 ? 1 : v0))',
  reciprocal: '1 / v0',
};

const TRUNCATE = '(v0 < 0 ? Math.ceil(v0) : Math.floor(v0))';

/** Elementwise kernels: arithmetic and comparisons with broadcasting, unary maps, clamp, where, cast. */
export const elementwiseKernels: GpuKernelDef[] = [
  ...Object.entries(BINARY).map(([name, expr]) =>
    defineKernel(name, (inputs, _attrs, backend) => {
      const a = input(inputs, 0, name);
      const b = input(inputs, 1, name);
      return runMap(backend, name, [a, b], expr, elementwiseResultDType(name, [a.dtype, b.dtype]));
    }),
  ),
  ...Object.entries(COMPARISONS).map(([name, op]) =>
    defineKernel(name, (inputs, _attrs, backend) =>
      runMap(backend, name, [input(inputs, 0, name), input(inputs, 1, name)], `(v0 ${op} v1 ? 1 : 0)`),
    ),
  ),
  ...Object.entries(UNARY).map(([name, expr]) =>
    defineKernel(name, (inputs, _attrs, backend) => {
      const x = input(inputs, 0, name);
      return runMap(backend, name, [x], expr, elementwiseResultDType(name, [x.dtype]));
    }),
  ),
  defineKernel<{ min: number; max: number }>('clamp', (inputs, attrs, backend) => {
    const x = input(inputs, 0, 'clamp');
    const bounds = Float32Array.of(attrs.min, attrs.max);
    const expr = '(v0 < p[0] ? p[0] : (v0 > p[1] ? p[1] : v0))';
    return runMap(backend, 'clamp', [x], expr, elementwiseResultDType('clamp', [x.dtype]), bounds);
  }),
  defineKernel('where', (inputs, _attrs, backend) => {
    const operands = [input(inputs, 0, 'where'), input(inputs, 1, 'where'), input(inputs, 2, 'where')];
    const dtype = elementwiseResultDType(
      'where',
      operands.map((t) => t.dtype),
    );
    return runMap(backend, 'where', operands, '(v0 !== 0 ? v1 : v2)', dtype);
  }),
  defineKernel<{ dtype: DType }>('cast', (inputs, attrs, backend) => {
    const x = input(inputs, 0, 'cast');
    if (attrs.dtype !== 'float32' && attrs.dtype !== 'int32') {
      throw new ArgumentError(
        `cast: dtype '${String(attrs.dtype)}' is unknown; expected 'float32' or 'int32'`,
      );
    }
    const expr = attrs.dtype === 'int32' && x.dtype === 'float32' ? TRUNCATE : 'v0';
    return runMap(backend, 'cast', [x], expr, attrs.dtype);
  }),
];
