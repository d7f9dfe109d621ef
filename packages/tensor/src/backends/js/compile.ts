import type { TypedArray } from '../../dtype';
import { ERF_COEFFICIENTS } from '../../expr-syntax';
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
  offsets: Float64Array,
  strides: Float64Array,
  n: number,
  params: Float64Array,
) => void;

const [P, A1, A2, A3, A4, A5] = ERF_COEFFICIENTS;

/**
 * Definitions that compiled expressions see: the `mapExpr` functions and constant taken from
 * `Math`, `sign` with sign(0) = +1, `erf` by Abramowitz–Stegun 7.1.26, and `$imul` for exact int32
 * products (the `$` keeps it out of reach of user expressions, whose identifiers cannot contain `$`).
 */
const PRELUDE = `"use strict";
const exp = Math.exp, log = Math.log, abs = Math.abs, sqrt = Math.sqrt, tanh = Math.tanh, min = Math.min,
  max = Math.max, pow = Math.pow, floor = Math.floor, PI = Math.PI, $imul = Math.imul;
function sign(v) { return v < 0 ? -1 : 1; }
function erf(v) {
  const s = v < 0 ? -1 : 1, u = Math.abs(v), t = 1 / (1 + ${P} * u);
  return s * (1 - ((((${A5} * t + ${A4}) * t + ${A3}) * t + ${A2}) * t + ${A1}) * t * Math.exp(-u * u));
}
`;

const cache = new Map<string, RowLoop>();

/**
 * Compiles `expr` (already validated, or written by fbt itself) into a `RowLoop` whose inputs are
 * read into the locals `names` and whose parameters are the locals `paramNames`. Parameters are
 * arguments, not inlined, so one compiled loop serves every parameter value. Compiled once per
 * (expression, names, parameter names) and cached.
 */
export function compileRowLoop(
  expr: string,
  names: readonly string[],
  paramNames: readonly string[],
): RowLoop {
  const key = `${names.join(',')}|${paramNames.join(',')}|${expr}`;
  let loop = cache.get(key);
  if (loop === undefined) {
    const setup = [
      ...names.map(
        (_, k) => `const $x${k} = $in[${k}], $s${k} = $st[${k + 1}]; let $j${k} = $off[${k + 1}];`,
      ),
      ...paramNames.map((p, k) => `const ${p} = $p[${k}];`),
    ].join('\n  ');
    const reads = names.map((name, k) => `const ${name} = $x${k}[$j${k}]; $j${k} += $s${k};`).join(' ');
    const body = `return function rowLoop($out, $in, $off, $st, $n, $p) {
  ${setup}
  let $o = $off[0]; const $so = $st[0];
  for (let $i = 0; $i < $n; $i++) { ${reads} $out[$o] = (${expr}); $o += $so; }
};`;
    loop = new Function(PRELUDE + body)() as RowLoop;
    cache.set(key, loop);
  }
  return loop;
}

/** An input of an elementwise evaluation: its values and its shape (broadcast to the output's). */
export interface ElementwiseOperand {
  readonly values: TypedArray;
  readonly shape: Shape;
}

/**
 * Runs `loop` over every element of `out` (row-major, shape `outShape`), reading each operand
 * broadcast to `outShape`. Identical shapes collapse to a single row; broadcasting walks rows.
 */
export function runRowLoop(
  loop: RowLoop,
  out: TypedArray,
  outShape: Shape,
  operands: readonly ElementwiseOperand[],
  params: Float64Array,
): void {
  const plan = planStrided(outShape, [
    stridesOf(outShape),
    ...operands.map((o) => broadcastStrides(o.shape, outShape)),
  ]);
  const values = operands.map((o) => o.values);
  const base = new Array<number>(operands.length + 1).fill(0);
  forEachRow(plan, base, (offsets, n) => loop(out, values, offsets, plan.rowStrides, n, params));
}
