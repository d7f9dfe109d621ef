import type { TensorInfo } from '../../../backend/interface';
import { ELEMENTWISE_OPS, opParams, type ElementwiseOpRecord } from '../../../formula/op-table';
import { elementwiseResultDType } from '../../../kernel-dtypes';
import { broadcastShapes, shapesEqual, stridesOf, type Shape } from '../../../shape';
import { broadcastStrides } from '../../cpu/iterate';
import { opCode } from '../instance';
import type { WasmBackend } from '../backend';
import { cpuFallback, defineKernel, runOnCpu, type WasmKernelDef } from './define';
import { runExpr } from './expr';

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

/** `x` broadcast to `shape` by a strided copy into a new block (any dtype). */
function broadcastInto(backend: WasmBackend, x: TensorInfo, shape: Shape): TensorInfo {
  const out = backend.output(shape, x.dtype);
  const plan = backend.plan(shape, broadcastOperands(shape, [x]));
  backend.exports.stridedCopy(plan, out.dataId.ptr, backend.ptr(x));
  return out;
}

const broadcastTo = defineKernel<{ shape: number[] }>('broadcastTo', (inputs, attrs, backend) =>
  broadcastInto(backend, inputs[0]!, attrs.shape),
);

/**
 * The kernel of an op without a native SIMD operation (`exp log tanh sigmoid pow clamp where`):
 * its record's formula compiled to wasm like any `mapExpr` (`runExpr`), operands of another shape
 * broadcast into temporary blocks first. Int32 results (`clamp`, `where` on int32 values) keep the
 * cpu loop's exact integer formula.
 */
function formulaKernel(op: ElementwiseOpRecord): WasmKernelDef {
  const paramNames = Object.keys(op.params ?? {});
  return defineKernel<Readonly<Record<string, unknown>>>(op.name, (inputs, attrs, backend) => {
    const dtype = elementwiseResultDType(
      op.name,
      inputs.map((i) => i.dtype),
    );
    if (dtype === 'int32') return runOnCpu(op.name, inputs, attrs, backend);
    const shape = inputs.reduce<Shape>((acc, info) => broadcastShapes(acc, info.shape, op.name), []);
    const operands = inputs.map((i) => (shapesEqual(i.shape, shape) ? i : broadcastInto(backend, i, shape)));
    const values = opParams(op, attrs);
    const params = Object.fromEntries(paramNames.map((name, i) => [name, values[i]!]));
    try {
      return runExpr(backend, op.expr, op.inputs, params, operands);
    } finally {
      for (const [i, operand] of operands.entries())
        if (operand !== inputs[i]) backend.disposeData(operand.dataId);
    }
  });
}

/**
 * The wasm kernel of an elementwise op record: its native SIMD operation (`op.wasm`) for float32
 * inputs (int32 inputs run the cpu loop in place on wasm memory), or its formula compiled to wasm.
 */
function opKernel(op: ElementwiseOpRecord): WasmKernelDef {
  if (op.wasm === undefined) return formulaKernel(op);
  return op.inputs.length === 1 ? unaryKernel(op.name, op.wasm) : binaryKernel(op.name, op.wasm);
}

/** Wasm kernels of the elementwise family: one per `ELEMENTWISE_OPS` record, `cast` and `broadcastTo`. */
export const elementwiseKernels: readonly WasmKernelDef[] = [
  ...ELEMENTWISE_OPS.map(opKernel),
  cpuFallback('cast'),
  broadcastTo,
];
