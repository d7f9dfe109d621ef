import type { KernelDef } from '../../../backend/interface';
import { parseExpr } from '../../../formula/parse';
import { sizeOf } from '../../../shape';
import { evaluateFormula } from '../formula';
import { output, valuesOf } from '../io';

interface MapExprAttrs {
  expr: string;
  names: string[];
  params: Record<string, number>;
}

/**
 * `mapExpr`: evaluates a formula per element, once it parses (`parseExpr`, cached), as its own
 * JavaScript text under the prelude of built-ins. The loop is compiled once per (expression, input
 * names, parameter names); parameter values are passed at each call.
 */
const mapExpr: KernelDef<MapExprAttrs> = {
  kernelName: 'mapExpr',
  kernelFunc: (inputs, attrs, backend) => {
    const paramNames = Object.keys(attrs.params);
    parseExpr(attrs.expr, attrs.names, paramNames);
    const shape = inputs[0]!.shape;
    const out = new Float32Array(sizeOf(shape));
    const operands = inputs.map((info) => ({ values: valuesOf(backend, info), shape: info.shape }));
    const params = Float64Array.from(paramNames, (p) => attrs.params[p]!);
    evaluateFormula({ expr: attrs.expr, names: attrs.names, paramNames }, out, shape, operands, params);
    return output(backend, out, shape);
  },
};

/** CPU kernels of the expr family. */
export const exprKernels: KernelDef[] = [mapExpr];
