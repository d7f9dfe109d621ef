import type { Backend, KernelDef, TensorInfo } from '../../../backend/interface';
import type { DType } from '../../../dtype';
import { elementwiseResultDType } from '../../../kernel-dtypes';
import { ELEMENTWISE_OPS, opParams, type ElementwiseOpRecord } from '../../../formula/op-table';
import { broadcastShapes, sizeOf, type Shape } from '../../../shape';
import { evaluateFormula, type Formula } from '../formula';
import { buffer, output, valuesOf } from '../io';

const NO_PARAMS = new Float64Array(0);

/** Evaluates `formula` over `inputs` (broadcast together) into a new output of `dtype` and shape `outShape`. */
function evaluate(
  inputs: readonly TensorInfo[],
  backend: Backend,
  formula: Formula,
  dtype: DType,
  outShape: Shape,
  params: Float64Array = NO_PARAMS,
): TensorInfo {
  const out = buffer(dtype, sizeOf(outShape));
  const operands = inputs.map((info) => ({ values: valuesOf(backend, info), shape: info.shape }));
  evaluateFormula(formula, out, outShape, operands, params);
  return output(backend, out, outShape);
}

const broadcastAll = (inputs: readonly TensorInfo[], kernelName: string): Shape =>
  inputs.reduce<Shape>((shape, info) => broadcastShapes(shape, info.shape, kernelName), []);

/** The cpu kernel of an elementwise op record: its formula (int32 variant for int32 outputs) compiled to JS. */
function opKernel(op: ElementwiseOpRecord): KernelDef<Readonly<Record<string, unknown>>> {
  const paramNames = Object.keys(op.params ?? {});
  const float: Formula = { expr: op.expr, names: op.inputs, paramNames };
  const int: Formula = { ...float, expr: op.intExpr ?? op.expr };
  return {
    kernelName: op.name,
    kernelFunc: (inputs, attrs, backend) => {
      const dtype = elementwiseResultDType(
        op.name,
        inputs.map((i) => i.dtype),
      );
      const params = paramNames.length === 0 ? NO_PARAMS : Float64Array.from(opParams(op, attrs));
      const shape = broadcastAll(inputs, op.name);
      return evaluate(inputs, backend, dtype === 'int32' ? int : float, dtype, shape, params);
    },
  };
}

/** The identity formula, which `cast` and `broadcastTo` evaluate into their output. */
const IDENTITY: Formula = { expr: 'x', names: ['x'], paramNames: [] };

const cast: KernelDef<{ dtype: DType }> = {
  kernelName: 'cast',
  // Storing into an Int32Array truncates toward zero (NaN becomes 0).
  kernelFunc: (inputs, attrs, backend) => evaluate(inputs, backend, IDENTITY, attrs.dtype, inputs[0]!.shape),
};

const broadcastTo: KernelDef<{ shape: number[] }> = {
  kernelName: 'broadcastTo',
  kernelFunc: (inputs, attrs, backend) => evaluate(inputs, backend, IDENTITY, inputs[0]!.dtype, attrs.shape),
};

/** CPU kernels of the elementwise family: one per `ELEMENTWISE_OPS` record, then cast and broadcastTo. */
export const elementwiseKernels: KernelDef[] = [...ELEMENTWISE_OPS.map(opKernel), cast, broadcastTo];
