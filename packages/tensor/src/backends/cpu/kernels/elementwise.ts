import type { Backend, KernelConfig, TensorInfo } from '../../../backend/interface';
import type { DType } from '../../../dtype';
import { elementwiseResultDType } from '../../../kernel-dtypes';
import { broadcastShapes, sizeOf, type Shape } from '../../../shape';
import { evaluateFormula } from '../compile';
import { buffer, output, valuesOf } from '../io';

/** Formula of an elementwise kernel over its input names, with an exact int32 variant where needed. */
interface Definition {
  readonly expr: string;
  readonly intExpr?: string;
}

const UNARY: Readonly<Record<string, Definition>> = {
  neg: { expr: '-x' },
  abs: { expr: 'abs(x)' },
  exp: { expr: 'exp(x)' },
  log: { expr: 'log(x)' },
  sqrt: { expr: 'sqrt(x)' },
  square: { expr: 'x * x', intExpr: '$imul(x, x)' },
  tanh: { expr: 'tanh(x)' },
  // exp(-x) overflows to Infinity for x < -709, giving exactly 0: no NaN at any |x|.
  sigmoid: { expr: '1 / (1 + exp(-x))' },
  relu: { expr: 'x < 0 ? 0 : x' },
  sign: { expr: 'x < 0 ? -1 : x >= 0 ? 1 : x' },
  step: { expr: 'x < 0 ? 0 : x >= 0 ? 1 : x' },
  reciprocal: { expr: '1 / x' },
};

const BINARY: Readonly<Record<string, Definition>> = {
  add: { expr: 'a + b' },
  sub: { expr: 'a - b' },
  mul: { expr: 'a * b', intExpr: '$imul(a, b)' },
  div: { expr: 'a / b' },
  pow: { expr: 'pow(a, b)' },
  minimum: { expr: 'min(a, b)' },
  maximum: { expr: 'max(a, b)' },
  greater: { expr: 'a > b' },
  greaterEqual: { expr: 'a >= b' },
  less: { expr: 'a < b' },
  lessEqual: { expr: 'a <= b' },
  equal: { expr: 'a === b' },
  notEqual: { expr: 'a !== b' },
};

const NO_PARAMS = new Float64Array(0);

/** Evaluates `definition` over `inputs` (broadcast together) into a new output of `dtype`. */
function evaluate(
  inputs: readonly TensorInfo[],
  backend: Backend,
  names: readonly string[],
  definition: Definition,
  dtype: DType,
  outShape: Shape,
  paramNames: readonly string[] = [],
  params: Float64Array = NO_PARAMS,
): TensorInfo {
  const expr = dtype === 'int32' && definition.intExpr !== undefined ? definition.intExpr : definition.expr;
  const out = buffer(dtype, sizeOf(outShape));
  const operands = inputs.map((info) => ({ values: valuesOf(backend, info), shape: info.shape }));
  evaluateFormula({ expr, names, paramNames }, out, outShape, operands, params);
  return output(backend, out, outShape);
}

const broadcastAll = (inputs: readonly TensorInfo[], kernelName: string): Shape =>
  inputs.reduce<Shape>((shape, info) => broadcastShapes(shape, info.shape, kernelName), []);

const dtypes = (inputs: readonly TensorInfo[]): DType[] => inputs.map((i) => i.dtype);

const formulaKernels = (
  table: Readonly<Record<string, Definition>>,
  names: readonly string[],
): KernelConfig<Record<string, never>>[] =>
  Object.entries(table).map(([kernelName, definition]) => ({
    kernelName,
    backendName: 'cpu',
    kernelFunc: (inputs, _attrs, backend) =>
      evaluate(
        inputs,
        backend,
        names,
        definition,
        elementwiseResultDType(kernelName, dtypes(inputs)),
        broadcastAll(inputs, kernelName),
      ),
  }));

const clamp: KernelConfig<{ min: number; max: number }> = {
  kernelName: 'clamp',
  backendName: 'cpu',
  kernelFunc: (inputs, attrs, backend) =>
    evaluate(
      inputs,
      backend,
      ['x'],
      { expr: 'x < lo ? lo : x > hi ? hi : x' },
      elementwiseResultDType('clamp', dtypes(inputs)),
      inputs[0]!.shape,
      ['lo', 'hi'],
      Float64Array.of(attrs.min, attrs.max),
    ),
};

const where: KernelConfig<Record<string, never>> = {
  kernelName: 'where',
  backendName: 'cpu',
  kernelFunc: (inputs, _attrs, backend) =>
    evaluate(
      inputs,
      backend,
      ['c', 'a', 'b'],
      { expr: 'c !== 0 ? a : b' },
      elementwiseResultDType('where', dtypes(inputs)),
      broadcastAll(inputs, 'where'),
    ),
};

const cast: KernelConfig<{ dtype: DType }> = {
  kernelName: 'cast',
  backendName: 'cpu',
  // Storing into an Int32Array truncates toward zero (NaN becomes 0).
  kernelFunc: (inputs, attrs, backend) =>
    evaluate(inputs, backend, ['x'], { expr: 'x' }, attrs.dtype, inputs[0]!.shape),
};

const broadcastTo: KernelConfig<{ shape: number[] }> = {
  kernelName: 'broadcastTo',
  backendName: 'cpu',
  kernelFunc: (inputs, attrs, backend) =>
    evaluate(inputs, backend, ['x'], { expr: 'x' }, inputs[0]!.dtype, attrs.shape),
};

/** CPU kernels of the elementwise family (unary, binary, comparisons, clamp, where, cast, broadcastTo). */
export const elementwiseKernels: KernelConfig<never>[] = [
  ...formulaKernels(UNARY, ['x']),
  ...formulaKernels(BINARY, ['a', 'b']),
  clamp,
  where,
  cast,
  broadcastTo,
];
