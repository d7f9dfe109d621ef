import { ArgumentError, ShapeError } from '../errors';
import { parseExpr } from '../formula/parse';
import { formatShape, shapesEqual } from '../shape';
import type { Tensor } from '../tensor';
import { expectNumber, expectTensor, runOne } from './operands';

export {
  EXPR_CONSTANTS,
  EXPR_FUNCTIONS,
  EXPR_OPERATORS,
  assertExprName,
  validateExpr,
  type ExprToken,
} from '../formula/syntax';
export {
  ERF_COEFFICIENTS,
  EXPR_FUNCTION_NAMES,
  EXPR_FUNCTION_TABLE,
  WASM_IMPORTS,
  type ExprFunction,
  type ExprFunctionName,
  type ExprHelper,
  type JsSpelling,
  type WasmLowering,
} from '../formula/functions';
export { parseExpr, type ExprNode } from '../formula/parse';
export { EXPR_JS_PRELUDE, exprHelpers, spelled } from '../formula/js';

/**
 * Evaluates the formula `expr` per element over same-shaped `inputs` (read under their keys) and
 * numeric `params`, giving float32. The formula language is listed in `validateExpr`: inputs,
 * params, numeric literals, `+ - * /`, comparisons, `&& || !`, `? :`, parentheses and the functions
 * of `EXPR_FUNCTION_TABLE` (each with its number of arguments and its values at NaN, ±0 and ±∞)
 * with the constant `PI`; comparisons give booleans stored as 1/0. One compiled loop per formula serves all param values.
 *
 * @example mapExpr('abs(z) <= w ? 1 / (2 * w) : 0', { z }, { w: 0.5 }); // a rectangular window
 */
export function mapExpr(
  expr: string,
  inputs: Readonly<Record<string, Tensor>>,
  params: Readonly<Record<string, number>> = {},
): Tensor {
  if (typeof expr !== 'string') throw new ArgumentError(`mapExpr: expr is ${typeof expr}; expected a string`);
  const names = Object.keys(inputs);
  if (names.length === 0)
    throw new ArgumentError(`mapExpr: no inputs for '${expr}'; expected at least one tensor`);
  const tensors = names.map((n) => expectTensor(inputs[n], 'mapExpr', `input '${n}'`));
  const first = tensors[0]!;
  tensors.forEach((t, i) => {
    if (!shapesEqual(t.shape, first.shape)) {
      throw new ShapeError(
        `mapExpr: input '${names[i]}' has shape ${formatShape(t.shape)} and '${names[0]}' ${formatShape(first.shape)}; expected one shape`,
      );
    }
  });
  const paramValues: Record<string, number> = {};
  for (const [k, v] of Object.entries(params)) paramValues[k] = expectNumber(v, 'mapExpr', `param '${k}'`);
  parseExpr(expr, names, Object.keys(paramValues));
  return runOne('mapExpr', tensors, { expr, names, params: paramValues });
}
