import { ELEMENTWISE_OPS, registerWasmBackend } from '@fbt/tensor';
import { describe, expect, it } from 'vitest';
import { compileRecord, paramsOf, runTuples, tuples } from './op-table-helpers';
import { GL_AVAILABLE } from './setup';

/*
 * The int32 side of the op table: every op whose dtype rule keeps int32, on int32 inputs, on every
 * backend, against its formula evaluated exactly (BigInt) and wrapped to int32 like C. cpu and wasm
 * must give it exactly (their `intExpr` variants wrap products); the gpu holds int32 in float32
 * textures, so it is held to the values that float32 represents exactly: inputs and exact results
 * within ±2²⁴.
 */

if (!registerWasmBackend()) throw new Error('op table test: this engine has no WebAssembly SIMD');

/** Zero, small values, the edges of the square and product overflow, ±2²⁴ and the int32 limits. */
const GRID = [0, 1, -1, 7, -7, 46341, -46341, 2 ** 24, -(2 ** 24), 123456789, 2 ** 31 - 1, -(2 ** 31)];

/** The language's functions on BigInt, for the int32-preserving formulas. */
const FUNCTIONS: Readonly<Record<string, (...args: bigint[]) => bigint>> = {
  abs: (v) => (v < 0n ? -v : v),
  min: (a, b) => (a < b ? a : b),
  max: (a, b) => (a > b ? a : b),
};

const EXACT_IN_FLOAT32 = 2n ** 24n;

describe('every int32-preserving elementwise op on every backend wraps like C', () => {
  for (const op of ELEMENTWISE_OPS.filter((o) => o.int32Inputs !== undefined)) {
    const f = compileRecord<bigint>(op, FUNCTIONS, (text) => `${text}n`);
    const args = tuples(op, GRID);
    const params = paramsOf(op).map(BigInt);
    const exact = args.map((tuple) => f(...tuple.map(BigInt), ...params));
    const expected = exact.map((v) => Number(BigInt.asIntN(32, v)));

    for (const backend of ['cpu', 'wasm']) {
      it(`${op.name} on ${backend}: exact, int32`, () => {
        const out = runTuples(backend, op, args, 'int32');
        expect(out.dtype).toBe('int32');
        expect(Array.from(out.values)).toEqual(expected);
      });
    }

    it.skipIf(!GL_AVAILABLE)(
      `${op.name} on gpu: exact within ±2^24 (skipped when no GL device: run under xvfb-run -a)`,
      () => {
        const out = runTuples('gpu', op, args, 'int32');
        expect(out.dtype).toBe('int32');
        const representable = (i: number): boolean =>
          [...args[i]!.map(BigInt), exact[i]!].every((v) => v <= EXACT_IN_FLOAT32 && -v <= EXACT_IN_FLOAT32);
        const wrong = args.flatMap((tuple, i) =>
          representable(i) && out.values[i] !== expected[i]
            ? [`${op.name}(${tuple.join(', ')}) = ${out.values[i]}, expected ${expected[i]}`]
            : [],
        );
        expect(wrong).toEqual([]);
      },
    );
  }
});
