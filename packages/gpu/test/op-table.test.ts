import { ELEMENTWISE_OPS, registerWasmBackend, type ElementwiseOpRecord } from '@fbt/tensor';
import { describe, expect, it } from 'vitest';
import { specialGrid } from '../../../test-utils/special-values';
import { compileRecord, paramsOf, runTuples, tuples, type Evaluator } from './op-table-helpers';
import { GL_AVAILABLE } from './setup';

/*
 * Acceptance test of the elementwise op table: every op of `ELEMENTWISE_OPS`, on every backend, at
 * a grid of special and ordinary float32 values, against the record's reference: its formula
 * evaluated here in float64 (by the tests' own reading of the `mapExpr` language,
 * `op-table-helpers.ts`) and rounded to float32 once. cpu and wasm must give the reference bit for bit (the sign of zero included). The
 * gpu backend (GLSL ES 1.00 under Mesa) must too, with the exceptions GLSL allows, each listed in
 * `gpuAccepts` below. The int32 variants are checked in `op-table-int32.test.ts`.
 */

if (!registerWasmBackend()) throw new Error('op table test: this engine has no WebAssembly SIMD');

const MIN_NORMAL = 1.1754943508222875e-38;
/** NaN, ±0, ±∞, ±1e30, float32 subnormals (±1e-40 and the smallest, 2^-149), and ordinary values. */
const GRID = Array.from(specialGrid([2 ** -149, 1, -1, 0.5, -2, 3, 100, -100]));

/** The `mapExpr` functions in float64, with the conventions of the language (sign(0) = +1). */
const FUNCTIONS: Readonly<Record<string, (...args: number[]) => number>> = {
  exp: Math.exp,
  log: Math.log,
  abs: Math.abs,
  sqrt: Math.sqrt,
  tanh: Math.tanh,
  min: Math.min,
  max: Math.max,
  pow: Math.pow,
  floor: Math.floor,
  sign: (v) => (v < 0 ? -1 : v >= 0 ? 1 : v),
};

const show = (v: number): string => (Object.is(v, -0) ? '-0' : String(v));
const same = (a: number, b: number): boolean => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));

/** Within `rtol` of `expected` (relative), or identical (NaN, ±∞, and zeros with their sign). */
const close = (got: number, expected: number, rtol: number): boolean =>
  same(got, expected) ||
  (Number.isFinite(expected) && expected !== 0 && Math.abs(got - expected) <= rtol * Math.abs(expected));

/** Subnormals flushed to zero (keeping the sign), as GLSL ES 1.00 allows and Mesa does. */
const flush = (v: number): number => (v !== 0 && Math.abs(v) < MIN_NORMAL ? 0 * Math.sign(v) : v);

/**
 * Every way the gpu may read `args`: each subnormal as itself or flushed to zero, each zero with
 * either sign (GLSL promises neither).
 */
function readings(args: readonly number[]): number[][] {
  const ways = (v: number): number[] => {
    const read = flush(v) === v ? [v] : [v, flush(v)];
    return read.flatMap((r) => (r === 0 ? [0, -0] : [r]));
  };
  return args.reduce<number[][]>((acc, v) => acc.flatMap((head) => ways(v).map((w) => [...head, w])), [[]]);
}

/**
 * Relative tolerance of the gpu backend's finite results: GLSL's float32 exp, log and pow are
 * accurate to a few ulp of their arguments' magnitude, its division to 2.5 ulp; cpu and wasm are exact.
 */
const GPU_RTOL: Readonly<Record<string, number>> = {
  exp: 2e-5,
  log: 2e-5,
  tanh: 2e-5,
  sigmoid: 2e-5,
  pow: 4e-5,
};
const GPU_DEFAULT_RTOL = 4e-7;

/**
 * What the gpu may give for `op` at `args` besides the reference. The exceptions, all GLSL ES 1.00
 * latitude that Mesa (llvmpipe) takes:
 * - arithmetic and comparisons may flush float32 subnormals, read or produced, to zero, while
 *   moves keep them (`neg`, `where`; relu(−1e−40) compares −1e−40 as 0, then returns it as is);
 * - zeros may come out, and be read, with either sign;
 * - `min`/`max` with one NaN operand give the other operand (GLSL `min`/`max` drop NaN), so
 *   `minimum`/`maximum` do not propagate a NaN there;
 * - `pow` is undefined in GLSL for a NaN or infinite operand: any value is accepted there.
 * Anything else must equal the reference at one such reading of the inputs (finite values within
 * `GPU_RTOL`).
 */
function gpuAccepts(
  op: ElementwiseOpRecord,
  f: Evaluator<number>,
  args: readonly number[],
  got: number,
): boolean {
  if (op.name === 'pow' && args.some((v) => !Number.isFinite(v))) return true;
  const params = paramsOf(op);
  const rtol = GPU_RTOL[op.name] ?? GPU_DEFAULT_RTOL;
  const dropsNaN = op.name === 'minimum' || op.name === 'maximum';
  const subnormals = args.filter((v) => flush(v) !== v);
  return readings(args).some((tuple) => {
    const value = Math.fround(f(...tuple, ...params));
    const other =
      dropsNaN && tuple.filter(Number.isNaN).length === 1 ? tuple.filter((v) => !Number.isNaN(v)) : [];
    const moved = value === 0 ? subnormals : [];
    return [value, flush(value), ...other, ...moved].some(
      (expected) => close(got, expected, rtol) || (got === 0 && expected === 0),
    );
  });
}

describe('every elementwise op on every backend matches its record', () => {
  for (const op of ELEMENTWISE_OPS) {
    const f = compileRecord<number>(op, FUNCTIONS);
    const args = tuples(op, GRID);
    const params = paramsOf(op);
    const expected = args.map((tuple) => Math.fround(f(...tuple, ...params)));

    for (const backend of ['cpu', 'wasm']) {
      it(`${op.name} on ${backend}: the reference bit for bit`, () => {
        const got = runTuples(backend, op, args).values;
        const wrong = args.flatMap((tuple, i) =>
          same(got[i]!, expected[i]!)
            ? []
            : [
                `${op.name}(${tuple.map(show).join(', ')}) = ${show(got[i]!)}, expected ${show(expected[i]!)}`,
              ],
        );
        expect(wrong).toEqual([]);
      });
    }

    it.skipIf(!GL_AVAILABLE)(
      `${op.name} on gpu: the reference within GLSL's latitude (skipped when no GL device: run under xvfb-run -a)`,
      () => {
        const got = runTuples('gpu', op, args).values;
        const wrong = args.flatMap((tuple, i) =>
          gpuAccepts(op, f, tuple, got[i]!)
            ? []
            : [
                `${op.name}(${tuple.map(show).join(', ')}) = ${show(got[i]!)}, expected ${show(expected[i]!)}`,
              ],
        );
        expect(wrong).toEqual([]);
      },
    );
  }
});
