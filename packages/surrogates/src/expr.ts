import { compileScalar, type ScalarFormula } from '@fbt/tensor';

/**
 * The plain-JS side of the `mapExpr` expression language (docs/internals/kernels.md): one formula
 * string compiled into a scalar JS function. Backends compile the same strings into their kernels;
 * this module lets `sample()`, the docs and the tests evaluate exactly the formulas the kernels run,
 * without a second hand-written copy. Checking and compiling are @fbt/tensor's `compileScalar`, the
 * cpu backend's compiler for one element, so an expression accepted here is accepted by every
 * backend and means the same.
 */

export type { ScalarFormula };

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
  return compileScalar(expr, names, paramNames, owner);
}

/** erf by Abramowitz–Stegun 7.1.26 (|error| < 1.5e-7): the expression language's `erf`, as every backend evaluates it. */
export function erfApprox(x: number): number {
  return compileExpr('erf(x)', ['x'], [], 'erfApprox')(x);
}
