import type { KernelConfig } from '../../../backend/interface';
import { validateExpr } from '../../../expr-syntax';
import { sizeOf } from '../../../shape';
import { ArgumentError } from '../../../errors';
import { evaluateFormula } from '../compile';
import { output, valuesOf } from '../io';

interface MapExprAttrs {
  expr: string;
  names: string[];
  params: Record<string, number>;
}

const validated = new Set<string>();

/**
 * `mapExpr`: evaluates a validated formula per element. The loop is compiled once per
 * (expression, input names, parameter names); parameter values are passed at each call.
 */
const mapExpr: KernelConfig<MapExprAttrs> = {
  kernelName: 'mapExpr',
  backendName: 'cpu',
  kernelFunc: (inputs, attrs, backend) => {
    const paramNames = Object.keys(attrs.params);
    const key = `${attrs.names.join(',')}|${paramNames.join(',')}|${attrs.expr}`;
    if (!validated.has(key)) {
      validateExpr(attrs.expr, attrs.names, paramNames);
      validated.add(key);
    }
    const shape = inputs[0]!.shape;
    const out = new Float32Array(sizeOf(shape));
    const operands = inputs.map((info) => ({ values: valuesOf(backend, info), shape: info.shape }));
    const params = Float64Array.from(paramNames, (p) => attrs.params[p]!);
    try {
      evaluateFormula({ expr: attrs.expr, names: attrs.names, paramNames }, out, shape, operands, params);
    } catch (e) {
      if (!(e instanceof SyntaxError)) throw e;
      throw new ArgumentError(
        `mapExpr: expression '${attrs.expr}' does not parse (${e.message}); expected a complete formula`,
      );
    }
    return output(backend, out, shape);
  },
};

/** CPU kernels of the expr family. */
export const exprKernels: KernelConfig<never>[] = [mapExpr];
