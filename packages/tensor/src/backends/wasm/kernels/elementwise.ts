import type { TensorInfo } from '../../../backend/interface';
import { broadcastShapes, stridesOf, type Shape } from '../../../shape';
import { broadcastStrides } from '../../cpu/iterate';
import { opCode } from '../instance';
import type { WasmBackend } from '../backend';
import { cpuFallback, defineKernel, runOnCpu, type WasmKernelDef } from './define';

/** Kernel names of the float32 binary ops in the wasm module, with their operation codes' export names. */
const BINARY: Readonly<Record<string, string>> = {
  add: 'ADD',
  sub: 'SUB',
  mul: 'MUL',
  div: 'DIV',
  minimum: 'MIN',
  maximum: 'MAX',
  greater: 'GT',
  greaterEqual: 'GE',
  less: 'LT',
  lessEqual: 'LE',
  equal: 'EQ',
  notEqual: 'NE',
};

/** Kernel names of the float32 unary ops in the wasm module, with their operation codes' export names. */
const UNARY: Readonly<Record<string, string>> = {
  neg: 'NEG',
  abs: 'ABS',
  sqrt: 'SQRT',
  square: 'SQUARE',
  relu: 'RELU',
  step: 'STEP',
  sign: 'SIGN',
  reciprocal: 'RECIPROCAL',
};

/**
 * Elementwise kernels that stay on the cpu formula loops (run in place on wasm memory, output
 * copied in): transcendental functions, `pow`, `clamp`, `where` and `cast`.
 */
const ON_CPU = ['exp', 'log', 'tanh', 'sigmoid', 'pow', 'clamp', 'where', 'cast'];

/** Strides of each operand read as the broadcast shape `shape` (output first, dense). */
export function broadcastOperands(shape: Shape, inputs: readonly TensorInfo[]): number[][] {
  return [stridesOf(shape), ...inputs.map((info) => broadcastStrides(info.shape, shape))];
}

const isFloat = (inputs: readonly TensorInfo[]): boolean => inputs.every((i) => i.dtype === 'float32');

function binaryKernel(kernelName: string, codeName: string): WasmKernelDef {
  return defineKernel(kernelName, (inputs, attrs, backend: WasmBackend) => {
    if (!isFloat(inputs)) return runOnCpu(kernelName, inputs, attrs, backend);
    const [a, b] = [inputs[0]!, inputs[1]!];
    const shape = broadcastShapes(a.shape, b.shape, kernelName);
    const out = backend.output(shape);
    const plan = backend.plan(shape, broadcastOperands(shape, [a, b]));
    backend.exports.binary(
      opCode(backend.exports, codeName),
      plan,
      out.dataId.ptr,
      backend.ptr(a),
      backend.ptr(b),
    );
    return out;
  });
}

function unaryKernel(kernelName: string, codeName: string): WasmKernelDef {
  return defineKernel(kernelName, (inputs, attrs, backend: WasmBackend) => {
    if (!isFloat(inputs)) return runOnCpu(kernelName, inputs, attrs, backend);
    const x = inputs[0]!;
    const out = backend.output(x.shape);
    backend.exports.unary(opCode(backend.exports, codeName), out.dataId.ptr, backend.ptr(x), out.dataId.size);
    return out;
  });
}

const broadcastTo = defineKernel<{ shape: number[] }>('broadcastTo', (inputs, attrs, backend) => {
  const x = inputs[0]!;
  const out = backend.output(attrs.shape, x.dtype);
  const plan = backend.plan(attrs.shape, broadcastOperands(attrs.shape, [x]));
  backend.exports.stridedCopy(plan, out.dataId.ptr, backend.ptr(x));
  return out;
});

/** Wasm kernels of the elementwise family. */
export const elementwiseKernels: readonly WasmKernelDef[] = [
  ...Object.entries(BINARY).map(([name, code]) => binaryKernel(name, code)),
  ...Object.entries(UNARY).map(([name, code]) => unaryKernel(name, code)),
  ...ON_CPU.map(cpuFallback),
  broadcastTo,
];
