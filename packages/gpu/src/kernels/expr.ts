import { parseExpr } from '@fbt/tensor';
import { translateExpr } from '../formula';
import { defineKernel, type GpuKernelDef } from './define';
import { mapBody } from './map';

interface MapExprAttrs {
  readonly expr: string;
  readonly names: readonly string[];
  readonly params: Readonly<Record<string, number>>;
}

const translations = new Map<string, string>();

/**
 * `mapExpr`: the expression (parsed by @fbt/tensor's `parseExpr`, the same check as the CPU
 * backend) compiled into a gpu.js kernel once per expression, names and shape.
 */
export const exprKernels: GpuKernelDef[] = [
  defineKernel<MapExprAttrs>('mapExpr', (inputs, attrs, backend) => {
    const paramNames = Object.keys(attrs.params);
    const key = `${attrs.names.join(',')}|${paramNames.join(',')}|${attrs.expr}`;
    let expr = translations.get(key);
    if (expr === undefined) {
      expr = translateExpr(parseExpr(attrs.expr, attrs.names, paramNames));
      translations.set(key, expr);
    }
    const shape = inputs[0]?.shape ?? [];
    const params = Float32Array.from(paramNames, (p) => attrs.params[p]!);
    return backend.run(
      { name: 'mapExpr', body: mapBody(inputs, shape, expr) },
      inputs,
      shape,
      'float32',
      params,
    );
  }),
];
