import type { TensorInfo } from '../../../backend/interface';
import { ELEMENTWISE_OPS, type ElementwiseOpRecord } from '../../../formula/op-table';
import { broadcastShapes, stridesOf, type Shape } from '../../../shape';
import { broadcastStrides } from '../../cpu/iterate';
import { opCode } from '../instance';
import type { WasmBackend } from '../backend';
import { cpuFallback, defineKernel, runOnCpu, type WasmKernelDef } from './define';

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
    const args = [
      opCode(backend.exports, codeName),
      plan,
      out.dataId.ptr,
      backend.ptr(a),
      backend.ptr(b),
    ] as const;
    backend.parallel('binary', out.dataId.size, args, backend.exports.rowStateBytes());
    return out;
  });
}

function unaryKernel(kernelName: string, codeName: string): WasmKernelDef {
  return defineKernel(kernelName, (inputs, attrs, backend: WasmBackend) => {
    if (!isFloat(inputs)) return runOnCpu(kernelName, inputs, attrs, backend);
    const x = inputs[0]!;
    const out = backend.output(x.shape);
    const size = out.dataId.size;
    backend.parallel('unary', size, [
      opCode(backend.exports, codeName),
      out.dataId.ptr,
      backend.ptr(x),
      size,
    ]);
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

/**
 * The wasm kernel of an elementwise op record: its native SIMD operation (`op.wasm`) for float32
 * inputs; otherwise (int32 inputs, ops without one: transcendental functions, `pow`, `clamp`,
 * `where`) the cpu loop run in place on wasm memory.
 */
function opKernel(op: ElementwiseOpRecord): WasmKernelDef {
  if (op.wasm === undefined) return cpuFallback(op.name);
  return op.inputs.length === 1 ? unaryKernel(op.name, op.wasm) : binaryKernel(op.name, op.wasm);
}

/** Wasm kernels of the elementwise family: one per `ELEMENTWISE_OPS` record, `cast` and `broadcastTo`. */
export const elementwiseKernels: readonly WasmKernelDef[] = [
  ...ELEMENTWISE_OPS.map(opKernel),
  cpuFallback('cast'),
  broadcastTo,
];
