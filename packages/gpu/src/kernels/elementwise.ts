import {
  ArgumentError,
  ELEMENTWISE_OPS,
  elementwiseResultDType,
  opParams,
  parseExpr,
  type DType,
  type ElementwiseOpRecord,
} from '@fbt/tensor';
import { defineKernel, input, type GpuKernelDef } from './define';
import { translateExpr } from '../formula';
import { runMap } from './map';

const TRUNCATE = '(v0 < 0 ? Math.ceil(v0) : Math.floor(v0))';

/**
 * The gpu kernel of an elementwise op record: its formula translated like a `mapExpr` expression
 * (input k read as `v${k}`, parameter k as `p[k]`), over the inputs broadcast together.
 */
function opKernel(op: ElementwiseOpRecord): GpuKernelDef {
  const paramNames = Object.keys(op.params ?? {});
  const expr = translateExpr(parseExpr(op.expr, op.inputs, paramNames, op.name));
  return defineKernel<Readonly<Record<string, unknown>>>(op.name, (inputs, attrs, backend) => {
    const operands = op.inputs.map((_, k) => input(inputs, k, op.name));
    const dtype = elementwiseResultDType(
      op.name,
      operands.map((t) => t.dtype),
    );
    const params = paramNames.length === 0 ? undefined : Float32Array.from(opParams(op, attrs));
    return runMap(backend, op.name, operands, expr, dtype, params);
  });
}

/** Elementwise kernels: one per `ELEMENTWISE_OPS` record, and cast. */
export const elementwiseKernels: GpuKernelDef[] = [
  ...ELEMENTWISE_OPS.map(opKernel),
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
