import { ArgumentError } from '../../../errors';
import { validateExpr } from '../../../expr-syntax';
import { evaluateFormula } from '../../js/compile';
import { defineKernel, type WasmKernelDef } from './define';

interface MapExprAttrs {
  expr: string;
  names: string[];
  params: Record<string, number>;
}

const validated = new Set<string>();

/**
 * `mapExpr` on wasm: the same compiled JS loop as the cpu backend (one source of truth, the
 * expression), run directly on views of wasm memory, so inputs and output are neither copied in
 * nor out. Transcendental-heavy formulas gain nothing from a SIMD port without a SIMD `exp`.
 */
const mapExpr = defineKernel<MapExprAttrs>('mapExpr', (inputs, attrs, backend) => {
  const paramNames = Object.keys(attrs.params);
  const key = `${attrs.names.join(',')}|${paramNames.join(',')}|${attrs.expr}`;
  if (!validated.has(key)) {
    validateExpr(attrs.expr, attrs.names, paramNames);
    validated.add(key);
  }
  const shape = inputs[0]!.shape;
  const out = backend.output(shape);
  const operands = inputs.map((info) => ({ values: backend.view(backend.data(info)), shape: info.shape }));
  const params = Float64Array.from(paramNames, (p) => attrs.params[p]!);
  try {
    evaluateFormula(
      { expr: attrs.expr, names: attrs.names, paramNames },
      backend.view(out.dataId),
      shape,
      operands,
      params,
    );
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    backend.disposeData(out.dataId);
    throw new ArgumentError(
      `mapExpr: expression '${attrs.expr}' does not parse (${e.message}); expected a complete formula`,
    );
  }
  return out;
});

/** Wasm kernels of the expr family. */
export const exprKernels: readonly WasmKernelDef[] = [mapExpr];
