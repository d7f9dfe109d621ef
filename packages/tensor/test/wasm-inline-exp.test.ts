import { describe, expect, it } from 'vitest';
import { getThreads, mapExpr, setThreads, tensor, tidy, withBackend } from '../src';
import { EXP_CONSTANTS, EXP_LIMIT } from '../src/backends/wasm/expr/exp';
import './wasm-helpers';

/*
 * The compiled formulas evaluate `exp` inline (src/backends/wasm/expr/exp.ts) instead of calling
 * the kernel module's: its float64 result is within about 1 ulp of e^x, so float32 results equal
 * the cpu kernel's (V8's Math.exp) bit for bit outside rare ties. Odd sizes put the last element
 * through the scalar loop, which must give the vector loop's bits; arguments beyond ±EXP_LIMIT
 * (overflow, subnormal results) go to the kernel module's `exp`.
 */

/** 2¹⁸ + 1 seeded values uniform over [lo, hi), with ±0, ±∞, NaN and the inline limit in front. */
function uniform(seed: number, lo: number, hi: number): Float32Array {
  const out = new Float32Array((1 << 18) + 1);
  const limit = EXP_CONSTANTS[EXP_LIMIT]!;
  out.set([0, -0, Infinity, -Infinity, Number.NaN, limit / 8, -limit / 8, 88.72, -103.9, 1e-30]);
  let s = seed >>> 0;
  for (let i = 10; i < out.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = lo + ((hi - lo) * s) / 2 ** 32;
  }
  return out;
}

function run(backend: string, expr: string, x: Float32Array): Uint32Array {
  return withBackend(backend, () =>
    tidy(
      () =>
        new Uint32Array(
          mapExpr(expr, { x: tensor(x, [x.length]) })
            .dataSync()
            .slice().buffer,
        ),
    ),
  );
}

/** Indices where the bits differ (NaN payloads aside). */
function mismatches(a: Uint32Array, b: Uint32Array): number[] {
  const fa = new Float32Array(a.buffer);
  const fb = new Float32Array(b.buffer);
  const out: number[] = [];
  for (let i = 0; i < a.length; i++)
    if (a[i] !== b[i] && !(Number.isNaN(fa[i]) && Number.isNaN(fb[i]))) out.push(i);
  return out;
}

const CASES: readonly [string, string, Float32Array][] = [
  // Every float32 result from the smallest subnormal to the largest finite value.
  ['exp over its float32 range', 'exp(x)', uniform(1, -110, 95)],
  // Near 0, where e^x − 1 carries the information.
  ['exp near 0', '(exp(x) - 1) * 1e6', uniform(2, -1e-3, 1e-3)],
  // Arguments past ±708 in float64: overflow to ∞ and subnormal results, from the kernel module.
  ['exp past the inline limit', 'exp(x * 8) * exp(-x * 8) + exp(x * 8.5) * 1e-300', uniform(3, 85, 95)],
  // A formula with exp twice, as the logistic's derivative.
  ['sigmoid derivative', 'exp(-abs(x)) / pow(1 + exp(-abs(x)), 2)', uniform(4, -40, 40)],
];

describe('inline exp in compiled formulas', () => {
  it.each(CASES)('%s: the cpu kernel’s bits, on 1 and 2 threads', (_name, expr, x) => {
    const cpu = run('cpu', expr, x);
    const before = getThreads();
    try {
      for (const threads of [1, 2]) {
        setThreads(threads);
        expect(mismatches(cpu, run('wasm', expr, x)), `${threads} thread(s)`).toEqual([]);
      }
    } finally {
      setThreads(before);
    }
  });

  it('is within about 1 float64 ulp: e^x · e^−x − 1 stays within 2⁻⁵¹ over ±700, as V8’s Math.exp does', () => {
    const n = 1 << 16;
    const x = new Float32Array(n).map((_, i) => -700 + (1400 * i) / n);
    // (e^x · e^−x − 1) in units of 2⁻⁵²; two exponentials within 1 ulp each and the product give ≤ 2.
    for (const backend of ['cpu', 'wasm']) {
      const units = withBackend(backend, () =>
        tidy(() => mapExpr('(exp(x) * exp(-x) - 1) * 4503599627370496', { x: tensor(x, [n]) }).dataSync()),
      );
      let worst = 0;
      for (const u of units) worst = Math.max(worst, Math.abs(u));
      expect(worst, backend).toBeLessThanOrEqual(2);
    }
  });

  it('gives an element the same bits in the scalar loop (odd last element) as in the vector loop', () => {
    const values = uniform(5, -30, 30).subarray(10, 10 + 1001);
    const even = run('wasm', 'exp(x)', values.slice(0, 1000));
    for (const i of [0, 1, 2, 999]) {
      // values[i] alone (n = 1: the scalar loop) against its place in the vector loop.
      const alone = run('wasm', 'exp(x)', Float32Array.of(values[i]!));
      expect(alone[0], `element ${i}`).toBe(even[i]);
    }
  });
});
