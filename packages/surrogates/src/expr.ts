import { ArgumentError, ERF_COEFFICIENTS, validateExpr, type ExprToken } from '@fbt/tensor';

/**
 * The plain-JS side of the `mapExpr` expression language (docs/internals/kernels.md): one formula
 * string compiled into a scalar JS function. Backends compile the same strings into their kernels;
 * this module lets `sample()`, the docs and the tests evaluate exactly the formulas the kernels run,
 * without a second hand-written copy. Validation is @fbt/tensor's `validateExpr`, so an expression
 * accepted here is accepted by every backend.
 */

const [P, A1, A2, A3, A4, A5] = ERF_COEFFICIENTS as [number, number, number, number, number, number];

/** erf by Abramowitz–Stegun 7.1.26 (|error| < 1.5e-7), the approximation every backend uses. */
export function erfApprox(x: number): number {
  const a = Math.abs(x);
  const t = 1 / (1 + P * a);
  const poly = t * (A1 + t * (A2 + t * (A3 + t * (A4 + t * A5))));
  return (x < 0 ? -1 : 1) * (1 - poly * Math.exp(-a * a));
}

/** The language's functions as JS: `sign(0) = 1`, `erf` as above. */
const RUNTIME: Readonly<Record<string, (...args: number[]) => number>> = {
  exp: Math.exp,
  log: Math.log,
  abs: Math.abs,
  sqrt: Math.sqrt,
  tanh: Math.tanh,
  min: Math.min,
  max: Math.max,
  pow: Math.pow,
  floor: Math.floor,
  sign: (x: number) => (x >= 0 ? 1 : -1),
  erf: erfApprox,
};

function generate(tokens: readonly ExprToken[]): string {
  return tokens
    .map((t) => {
      switch (t.kind) {
        case 'function':
          return `F.${t.text}`;
        case 'name':
        case 'param':
          return `v_${t.text}`;
        case 'constant':
          return `Math.${t.text}`;
        default:
          return t.text;
      }
    })
    .join(' ');
}

/** A compiled scalar formula: takes the inputs, then the parameters, positionally. */
export type ScalarFormula = (...values: number[]) => number;

const cache = new Map<string, ScalarFormula>();

/**
 * Compiles `expr` over the inputs `names` and the parameters `paramNames` into a scalar JS function
 * taking the inputs then the parameters positionally. Built once per (expression, names) and cached.
 * Throws an `ArgumentError` naming `owner` for a bad expression.
 *
 * @example
 * compileExpr('max(0, 1 - abs(z) / w)', ['z'], ['w'], 'triangular')(0.25, 1); // 0.75
 */
export function compileExpr(
  expr: string,
  names: readonly string[],
  paramNames: readonly string[],
  owner: string,
): ScalarFormula {
  const key = `${names.join(',')};${paramNames.join(',')}|${expr}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const body = generate(validateExpr(expr, names, paramNames, owner));
  const args = [...names, ...paramNames].map((v) => `v_${v}`).join(', ');
  let fn: ScalarFormula;
  try {
    fn = new Function('F', `"use strict"; return function (${args}) { return +(${body}); };`)(
      RUNTIME,
    ) as ScalarFormula;
  } catch (error) {
    throw new ArgumentError(
      `${owner}: expression '${expr}' is not well formed (${(error as Error).message})`,
    );
  }
  cache.set(key, fn);
  return fn;
}

/**
 * Replaces every whole-word occurrence of the identifier `name` in `expr` by `(replacement)`; used to
 * splice the forward's derivative into rules written over `dphi`, and to rename parameters.
 */
export function substituteName(expr: string, name: string, replacement: string): string {
  return expr.replace(new RegExp(`\\b${name}\\b`, 'g'), `(${replacement})`);
}
