import { validateExpr, type ElementwiseOpRecord } from '@fbt/tensor';
import { runOn, type InputSpec } from '../../../test-utils/backend-parity';

/*
 * Helpers of the op table tests (op-table.test.ts, op-table-int32.test.ts): the records' formulas
 * read by this test's own evaluator, and runs of one op over many argument tuples.
 */

/** A record's formula as a function of its inputs then its parameters. */
export type Evaluator<T> = (...values: T[]) => T;

/**
 * Compiles `op`'s formula (or `op.expr`-shaped `expr`) with the language's functions taken from
 * `functions` and each numeric literal written by `literal` (for BigInt arithmetic, `1` → `1n`).
 */
export function compileRecord<T>(
  op: ElementwiseOpRecord,
  functions: Readonly<Record<string, (...args: T[]) => T>>,
  literal: (text: string) => string = (text) => text,
): Evaluator<T> {
  const paramNames = Object.keys(op.params ?? {});
  const body = validateExpr(op.expr, op.inputs, paramNames)
    .map((t) =>
      t.kind === 'function'
        ? `F.${t.text}`
        : t.kind === 'constant'
          ? `Math.${t.text}`
          : t.kind === 'number'
            ? literal(t.text)
            : t.text,
    )
    .join(' ');
  return new Function('F', `return (${[...op.inputs, ...paramNames].join(', ')}) => (${body});`)(
    functions,
  ) as Evaluator<T>;
}

/** Parameter values of the ops that have some, as kernel attributes. */
export const ATTRS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  clamp: { min: -1, max: 2 },
};

/** The parameter values of `op`'s calls in these tests, in the order of `op.params`. */
export const paramsOf = (op: ElementwiseOpRecord): number[] => Object.values(ATTRS[op.name] ?? {});

/** The argument tuples of an op over `grid`: the grid for one input, every pair for two, a diagonal for three. */
export function tuples(op: ElementwiseOpRecord, grid: readonly number[]): number[][] {
  if (op.inputs.length === 1) return grid.map((x) => [x]);
  if (op.inputs.length === 2) return grid.flatMap((a) => grid.map((b) => [a, b]));
  return grid.flatMap((c) => grid.map((a, i) => [c, a, grid[grid.length - 1 - i]!]));
}

/** Runs `op` on `backend` over `args` (one element per tuple) with inputs of `dtype`. */
export function runTuples(
  backend: string,
  op: ElementwiseOpRecord,
  args: readonly number[][],
  dtype: 'float32' | 'int32' = 'float32',
): { values: Float32Array | Int32Array; dtype: string } {
  const specs: InputSpec[] = op.inputs.map((_, k) => {
    const column = args.map((tuple) => tuple[k]!);
    return {
      shape: [args.length],
      values: dtype === 'int32' ? Int32Array.from(column) : Float32Array.from(column),
    };
  });
  const out = runOn(backend, op.name, specs, ATTRS[op.name] ?? {});
  return { values: out.values, dtype: out.dtype };
}
