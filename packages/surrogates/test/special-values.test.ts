import { glAvailability, registerGpuBackend } from '@fbt/gpu';
import { EXPR_FUNCTION_TABLE, mapExpr, registerWasmBackend, tensor, tidy, withBackend } from '@fbt/tensor';
import { describe, expect, it } from 'vitest';
import { specialGrid } from '../../../test-utils/special-values';
import {
  ACTIVATIONS,
  RULES,
  activationFormulas,
  compileExpr,
  forward,
  lowerRule,
  rule,
  type Lowered,
} from '../src';
import { compileLowered } from '../src/evaluate';

/*
 * The acceptance test of one source for the expression language: every built-in function, every
 * activation's φ and φ′ and every rule's ψ, run as `mapExpr` kernels on every backend at special
 * values, must match the plain-JS evaluator (`compileExpr`, what `sample()` and the docs use).
 */

if (!registerWasmBackend()) throw new Error('special-values test: this engine has no WebAssembly SIMD');
const gl = glAvailability();
if (gl.available) registerGpuBackend({ name: 'gpu', onFallback: () => undefined });
else {
  const message = `special-values test: no GL device (${gl.reason})`;
  if (process.env.CI === 'true') throw new Error(`${message}; CI=true requires it (run under xvfb-run -a)`);
  console.warn(`${message}; skipping the gpu backend`);
}

/**
 * How close a finite kernel value must be to the float64 evaluator rounded to float32:
 * |got − want| ≤ atol + rtol·|want|. cpu and wasm evaluate in float64 and round once (their `exp log
 * tanh pow` come from different float64 libraries, a few float64 ulp apart). The gpu evaluates in
 * float32 with the shader's transcendental functions, and flushes float32 subnormals to zero.
 */
const TOLERANCE: Readonly<Record<string, { atol: number; rtol: number }>> = {
  cpu: { atol: 0, rtol: 1e-7 },
  wasm: { atol: 0, rtol: 1e-7 },
  gpu: { atol: 1e-6, rtol: 2e-5 },
};

const BACKENDS = gl.available ? ['cpu', 'wasm', 'gpu'] : ['cpu', 'wasm'];

/** NaN, ±0, ±∞, ±1e30, float32 subnormals (1e-40) and a few ordinary points, kinks included. */
const GRID = specialGrid([1e-7, -1e-7, 0.5, -0.5, 1, -1, 2.5, -3, 6, 40, -40, 100, -100]);

/** Every pair of grid values, for the two-argument built-ins. */
const PAIRS = {
  a: Float32Array.from(Array.from(GRID, (a) => Array.from(GRID, () => a)).flat()),
  b: Float32Array.from(Array.from(GRID, () => Array.from(GRID)).flat()),
};

/** A fixed draw for the stochastic rules, the same on every backend and in the evaluator. */
const DRAW = 0.375;

/** The smallest normal float32: the gpu flushes smaller magnitudes to zero. */
const MIN_NORMAL = 2 ** -126;

/**
 * The inputs as a backend sees them: unchanged on cpu and wasm; on the gpu, float32 subnormals are
 * ±0 (GLSL ES does not require subnormals, and Mesa flushes them), so the reference is evaluated there.
 */
function asSeenBy(backend: string, values: readonly number[]): number[] {
  if (backend !== 'gpu') return [...values];
  return values.map((v) => (v === 0 || !(Math.abs(v) < MIN_NORMAL) ? v : Math.sign(v) * 0));
}

/**
 * Known gpu exceptions, each with its reason: a float32 intermediate below the smallest normal
 * float32 is 0 on the gpu, where the float64 evaluator keeps it. `support` tests φ′ ≠ 0, and φ′ of
 * these activations at |z| = 100 (e^−100 ≈ 3.7e−44) is such a value.
 */
const GPU_EXCEPTIONS: readonly { readonly label: RegExp; readonly z: readonly number[] }[] = [
  { label: /^support ψ \(forward (elu|logistic|softplus|silu)\)$/, z: [100, -100] },
];

/** Why `got` does not stand for `want` (the evaluator's float64 value), or undefined when it does. */
function mismatch(got: number, want: number, backend: string): string | undefined {
  const w = Math.fround(want);
  if (Number.isNaN(w)) return Number.isNaN(got) ? undefined : 'expected NaN';
  if (!Number.isFinite(w)) return got === w ? undefined : `expected ${w}`;
  if (Number.isNaN(got) || !Number.isFinite(got)) return `expected the finite ${w}`;
  if (w === 0 && got === 0 && backend !== 'gpu' && !Object.is(got, w))
    return `expected ${Object.is(w, -0) ? '-0' : '+0'}`;
  const { atol, rtol } = TOLERANCE[backend]!;
  return Math.abs(got - w) <= atol + rtol * Math.abs(w)
    ? undefined
    : `expected ${w} within ${atol} + ${rtol}·|want|`;
}

/** Runs `lowered` as a `mapExpr` kernel on `backend` over `inputs` (in `lowered.names` order). */
function runKernel(lowered: Lowered, inputs: readonly Float32Array[], backend: string): Float32Array {
  return withBackend(backend, () =>
    tidy(() => {
      const named = Object.fromEntries(lowered.names.map((n, k) => [n, tensor(inputs[k]!)]));
      return Float32Array.from(mapExpr(lowered.expr, named, lowered.params).dataSync());
    }),
  );
}

/** Lists every disagreement between the kernel on `backend` and `reference`, one line each. */
function disagreements(
  label: string,
  lowered: Lowered,
  inputs: readonly Float32Array[],
  reference: (...values: number[]) => number,
  backend: string,
): string[] {
  const got = runKernel(lowered, inputs, backend);
  const lines: string[] = [];
  const excused = GPU_EXCEPTIONS.find((e) => backend === 'gpu' && e.label.test(label));
  got.forEach((g, i) => {
    const at = inputs.map((v) => v[i]!);
    if (excused?.z.includes(at[lowered.names.indexOf('z')]!)) return;
    const want = reference(...asSeenBy(backend, at));
    const why = mismatch(g, want, backend);
    if (why !== undefined) lines.push(`${backend} ${label} at (${at.join(', ')}): got ${g}, ${why}`);
  });
  return lines;
}

/** The inputs of a lowered rule: g = 1, z the grid, and the fixed draw when the rule has one. */
function ruleInputs(lowered: Lowered): Float32Array[] {
  return lowered.names.map((name) =>
    name === 'z' ? GRID : new Float32Array(GRID.length).fill(name === 'g' ? 1 : DRAW),
  );
}

describe.each(BACKENDS)('mapExpr on %s at NaN, ±0, ±∞, ±1e30 and subnormals', (backend) => {
  it('follows the conventions sign(±0) = H(0) = 1 and sign(NaN) = H(NaN) = NaN', () => {
    const z = Float32Array.of(-0, 0, NaN, -2);
    const run = (expr: string): number[] =>
      Array.from(runKernel({ expr, names: ['z'], params: {} }, [z], backend));
    const heaviside = ACTIVATIONS.find((a) => a.name === 'heaviside')!.expr;
    const sign = ACTIVATIONS.find((a) => a.name === 'sign')!.expr;
    expect([run('sign(z)'), run(sign), run(heaviside)]).toEqual([
      [1, 1, NaN, -1],
      [1, 1, NaN, -1],
      [1, 1, NaN, 0],
    ]);
  });

  it('every built-in function agrees with the plain-JS evaluator', () => {
    const lines = Object.values(EXPR_FUNCTION_TABLE).flatMap((fn) => {
      const names = fn.arity === 1 ? ['a'] : ['a', 'b'];
      const expr = `${fn.name}(${names.join(', ')})`;
      const reference = compileExpr(expr, names, [], 'test');
      const inputs = fn.arity === 1 ? [GRID] : [PAIRS.a, PAIRS.b];
      return disagreements(expr, { expr, names, params: {} }, inputs, reference, backend);
    });
    expect(lines).toEqual([]);
  });

  it('every activation’s φ and φ′ agree with the plain-JS evaluator', () => {
    const lines = ACTIVATIONS.flatMap((entry) => {
      const f = forward(entry.name);
      const js = activationFormulas(f);
      return [
        ...disagreements(
          `${entry.name} φ`,
          { expr: entry.expr, names: ['z'], params: f.params },
          [GRID],
          js.value,
          backend,
        ),
        ...disagreements(
          `${entry.name} φ′`,
          { expr: entry.derivative, names: ['z'], params: f.params },
          [GRID],
          js.derivative,
          backend,
        ),
      ];
    });
    expect(lines).toEqual([]);
  });

  it('every rule’s ψ agrees with the plain-JS evaluator (with every activation for φ′ rules)', () => {
    const lines = RULES.filter((entry) => entry.form.kind !== 'reduction').flatMap((entry) => {
      const reads = entry.form.kind === 'factor' && /\bdphi\b/.test(entry.form.psi);
      const forwards = reads ? ACTIVATIONS.map((a) => forward(a.name)) : [undefined];
      return forwards.flatMap((f) => {
        const r = rule(entry.name);
        if (r.kind !== 'table') throw new Error(`${entry.name}: expected a table rule`);
        const lowered = lowerRule(r, f, 'test');
        const label = f === undefined ? `${entry.name} ψ` : `${entry.name} ψ (forward ${f.entry.name})`;
        return disagreements(label, lowered, ruleInputs(lowered), compileLowered(lowered, 'test'), backend);
      });
    });
    expect(lines).toEqual([]);
  });
});
