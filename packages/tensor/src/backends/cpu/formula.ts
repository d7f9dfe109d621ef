import type { TypedArray } from '../../dtype';
import { EXPR_JS_PRELUDE } from '../../formula/js';
import { parseExpr } from '../../formula/parse';
import { stridesOf, type Shape } from '../../shape';
import { broadcastStrides, forEachRow, planStrided } from './iterate';

/**
 * A compiled elementwise loop over one row: writes `n` outputs starting at `offsets[0]` (stride
 * `strides[0]`) from `inputs[k]` read at `offsets[k + 1]` (stride `strides[k + 1]`), with the
 * parameters in `params` (in the order of the `paramNames` it was compiled with).
 */
export type RowLoop = (
  out: TypedArray,
  inputs: readonly TypedArray[],
  offsets: Int32Array,
  strides: Int32Array,
  n: number,
  params: Float64Array,
) => void;

/**
 * Definitions that compiled expressions see: the `mapExpr` built-ins and `PI` (`EXPR_JS_PRELUDE`,
 * from the table of built-in functions), and `$imul` for exact int32 products (the `$` keeps it out
 * of reach of user expressions, whose identifiers cannot contain `$`).
 */
const PRELUDE = `"use strict";
${EXPR_JS_PRELUDE}
const $imul = Math.imul;
`;

/** The value of JavaScript `source` (ending in a `return`) run under `PRELUDE`: the one place formulas become code. */
function compileJs<T>(source: string): T {
  return new Function(PRELUDE + source)() as T;
}

const cache = new Map<string, RowLoop>();

/**
 * How each operand (output first) moves along a row, one character each: `1` contiguous, `0` one
 * repeated element (a scalar or a broadcast axis, read once per row), `s` any other stride.
 */
export function strideKinds(strides: Int32Array): string {
  let kinds = '';
  for (const s of strides) kinds += s === 1 ? '1' : s === 0 ? '0' : 's';
  return kinds;
}

/** Index expression of operand `k` (0 = output) at loop step `$i` for its stride kind. */
function indexOf(kind: string | undefined, k: number): string {
  return kind === '1' ? `$b${k} + $i` : kind === '0' ? `$b${k}` : `$b${k} + $i * $s${k}`;
}

/**
 * Compiles `expr` (already validated, or written by fbt itself) into a `RowLoop` whose inputs are
 * read into the locals `names` and whose parameters are the locals `paramNames`. Parameters are
 * arguments, not inlined, so one compiled loop serves every parameter value. `kinds` (from
 * `strideKinds`) specializes the indexing: contiguous operands are read at `base + i`, repeated
 * ones once per row. Compiled once per (expression, names, parameter names, kinds) and cached.
 */
export function compileRowLoop(
  expr: string,
  names: readonly string[],
  paramNames: readonly string[],
  kinds: string,
): RowLoop {
  const key = `${names.join(',')}|${paramNames.join(',')}|${kinds}|${expr}`;
  let loop = cache.get(key);
  if (loop === undefined) {
    const operands = names.length + 1;
    const setup = [
      ...Array.from({ length: operands }, (_, k) => `const $b${k} = $off[${k}], $s${k} = $st[${k}];`),
      ...names.map((_, k) => `const $x${k + 1} = $in[${k}];`),
      ...paramNames.map((p, k) => `const ${p} = $p[${k}];`),
      ...names.flatMap((name, k) =>
        kinds[k + 1] === '0' ? [`const ${name} = $x${k + 1}[$b${k + 1}];`] : [],
      ),
    ].join('\n  ');
    const reads = names
      .flatMap((name, k) =>
        kinds[k + 1] === '0' ? [] : [`const ${name} = $x${k + 1}[${indexOf(kinds[k + 1], k + 1)}];`],
      )
      .join(' ');
    const body = `return function rowLoop($out, $in, $off, $st, $n, $p) {
  ${setup}
  for (let $i = 0; $i < $n; $i++) { ${reads} $out[${indexOf(kinds[0], 0)}] = (${expr}); }
};`;
    loop = compileJs<RowLoop>(body);
    cache.set(key, loop);
  }
  return loop;
}

/** An input of an elementwise evaluation: its values and its shape (broadcast to the output's). */
export interface ElementwiseOperand {
  readonly values: TypedArray;
  readonly shape: Shape;
}

/** A formula to evaluate elementwise: the expression, its input names and its parameter names. */
export interface Formula {
  readonly expr: string;
  readonly names: readonly string[];
  readonly paramNames: readonly string[];
}

/**
 * Evaluates `formula` for every element of `out` (row-major, shape `outShape`), reading each
 * operand broadcast to `outShape` and `params` in the order of `formula.paramNames`. Identical
 * shapes collapse to a single row; broadcasting walks rows. Throws what compiling throws (a
 * `SyntaxError` for a formula that does not parse).
 */
export function evaluateFormula(
  formula: Formula,
  out: TypedArray,
  outShape: Shape,
  operands: readonly ElementwiseOperand[],
  params: Float64Array,
): void {
  const plan = planStrided(outShape, [
    stridesOf(outShape),
    ...operands.map((o) => broadcastStrides(o.shape, outShape)),
  ]);
  const loop = compileRowLoop(formula.expr, formula.names, formula.paramNames, strideKinds(plan.rowStrides));
  const values = operands.map((o) => o.values);
  const base = new Array<number>(operands.length + 1).fill(0);
  forEachRow(plan, base, (offsets, n) => loop(out, values, offsets, plan.rowStrides, n, params));
}

/** A formula compiled to a scalar function: takes the inputs, then the parameters, positionally. */
export type ScalarFormula = (...values: number[]) => number;

const scalars = new Map<string, ScalarFormula>();

/**
 * Compiles `expr` over the inputs `names` and the parameters `paramNames` into a float64 JavaScript
 * function taking the inputs then the parameters positionally: the cpu backend's own code for one
 * element, for evaluators outside a kernel (docs, plots, tests). Checks the formula first
 * (`parseExpr`), throwing an `ArgumentError` naming `op` for a bad one. Cached per (expression,
 * names, parameter names).
 *
 * @example compileScalar('max(0, 1 - abs(z) / w)', ['z'], ['w'])(0.25, 1); // 0.75
 */
export function compileScalar(
  expr: string,
  names: readonly string[],
  paramNames: readonly string[],
  op = 'mapExpr',
): ScalarFormula {
  const key = `${names.join(',')};${paramNames.join(',')}|${expr}`;
  let fn = scalars.get(key);
  if (fn === undefined) {
    parseExpr(expr, names, paramNames, op);
    fn = compileJs<ScalarFormula>(
      `return function (${[...names, ...paramNames].join(', ')}) { return +(${expr}); };`,
    );
    scalars.set(key, fn);
  }
  return fn;
}
