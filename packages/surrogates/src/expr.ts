import { EXPR_JS_PRELUDE, parseExpr } from '@fbt/tensor';

/**
 * The plain-JS side of the `mapExpr` expression language (docs/internals/kernels.md): one formula
 * string compiled into a scalar JS function. Backends compile the same strings into their kernels;
 * this module lets `sample()`, the docs and the tests evaluate exactly the formulas the kernels run,
 * without a second hand-written copy. Parsing is @fbt/tensor's `parseExpr` and the built-ins are
 * its `EXPR_JS_PRELUDE` (the cpu backend's), so an expression accepted here is accepted by every
 * backend and means the same.
 */

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
  parseExpr(expr, names, paramNames, owner);
  const fn = new Function(
    `"use strict";\n${EXPR_JS_PRELUDE}\nreturn function (${[...names, ...paramNames].join(', ')}) { return +(${expr}); };`,
  )() as ScalarFormula;
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

/** erf by Abramowitz–Stegun 7.1.26 (|error| < 1.5e-7): the expression language's `erf`, as every backend evaluates it. */
export function erfApprox(x: number): number {
  return compileExpr('erf(x)', ['x'], [], 'erfApprox')(x);
}
