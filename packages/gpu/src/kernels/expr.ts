import { validateExpr, type ExprToken } from '@fbt/tensor';
import { defineKernel, type GpuKernelDef } from './define';
import { mapBody } from './map';

interface MapExprAttrs {
  readonly expr: string;
  readonly names: readonly string[];
  readonly params: Readonly<Record<string, number>>;
}

/** The `mapExpr` functions as kernel source: `Math.*`, or the helpers of `functions.ts`. */
const FUNCTIONS: Readonly<Record<string, string>> = {
  exp: 'Math.exp',
  log: 'Math.log',
  abs: 'Math.abs',
  sqrt: 'Math.sqrt',
  tanh: 'fbtTanh',
  min: 'Math.min',
  max: 'Math.max',
  pow: 'fbtPow',
  floor: 'Math.floor',
  sign: 'fbtSign',
  erf: 'fbtErf',
};

const OPERATORS: Readonly<Record<string, string>> = { '==': '===', '!=': '!==' };

/**
 * Translates validated tokens into kernel source: input `k` becomes `v${k}`, parameter `k` the
 * array element `p[k]` (so new parameter values do not recompile), functions their gpu.js forms.
 */
export function translateExpr(
  tokens: readonly ExprToken[],
  names: readonly string[],
  paramNames: readonly string[],
): string {
  return tokens
    .map((t) => {
      switch (t.kind) {
        case 'name':
          return `v${names.indexOf(t.text)}`;
        case 'param':
          return `p[${paramNames.indexOf(t.text)}]`;
        case 'function':
          return FUNCTIONS[t.text]!;
        case 'constant':
          return String(Math.PI);
        case 'number':
          return t.text;
        case 'operator':
          return OPERATORS[t.text] ?? t.text;
      }
    })
    .join(' ');
}

const translations = new Map<string, string>();

/**
 * `mapExpr`: the expression (validated by @fbt/tensor's `validateExpr`, the same check as the CPU
 * backend) compiled into a gpu.js kernel once per expression, names and shape.
 */
export const exprKernels: GpuKernelDef[] = [
  defineKernel<MapExprAttrs>('mapExpr', (inputs, attrs, backend) => {
    const paramNames = Object.keys(attrs.params);
    const key = `${attrs.names.join(',')}|${paramNames.join(',')}|${attrs.expr}`;
    let expr = translations.get(key);
    if (expr === undefined) {
      expr = translateExpr(validateExpr(attrs.expr, attrs.names, paramNames), attrs.names, paramNames);
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
