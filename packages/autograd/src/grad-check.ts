import { ArgumentError, checkOptions, engine, ones, Rng, randn, Tensor, tensor } from '@fbt/tensor';
import { computeLeafGradients } from './backward';
import { GradientError } from './errors';
import { detach } from './functional';
import { installTape, noGrad } from './tape';

/** Options of `gradCheck`. */
export interface GradCheckOptions {
  /** Finite-difference step (default 1e-3; see `gradCheck`). */
  eps?: number;
  /** Absolute tolerance (default 1e-3). */
  atol?: number;
  /** Relative tolerance (default 1e-2). */
  rtol?: number;
  /** Seed of the random projection of non-scalar outputs (default 0). */
  seed?: number;
}

/** The element where autograd and finite differences disagree the most. */
export interface GradCheckWorst {
  /** Index of the argument. */
  readonly input: number;
  /** Flat (row-major) index inside that argument. */
  readonly index: number;
  /** Gradient from autograd. */
  readonly analytic: number;
  /** Gradient from central differences. */
  readonly numeric: number;
}

/** Result of `gradCheck`. */
export interface GradCheckResult {
  /** Largest `|analytic − numeric|`. */
  readonly maxAbsError: number;
  /** Largest `|analytic − numeric| / max(|analytic|, |numeric|)` (0 where both are 0). */
  readonly maxRelError: number;
  /** True when every element satisfies `|analytic − numeric| <= atol + rtol·|numeric|`. */
  readonly ok: boolean;
  /** The element with the largest excess over its tolerance (null when no input has elements). */
  readonly worst: GradCheckWorst | null;
}

function positive(value: number | undefined, fallback: number, name: string): number {
  const v = value ?? fallback;
  if (!(v > 0) || !Number.isFinite(v))
    throw new ArgumentError(`gradCheck: ${name}=${v}; expected a finite number > 0`);
  return v;
}

/** `Σ w·f(inputs)` accumulated in float64, evaluated without recording. */
function projected(fn: (...args: Tensor[]) => Tensor, inputs: Tensor[], weights: Float32Array): number {
  return noGrad(() =>
    engine().tidy(() => {
      const out = fn(...inputs).dataSync();
      let total = 0;
      for (let i = 0; i < out.length; i++) total += out[i]! * weights[i]!;
      return total;
    }),
  );
}

/**
 * Compares autograd's gradients of `fn` with central finite differences. A one-element output is
 * differentiated as it is; any other output `y` is reduced to the scalar `Σ w·y` with fixed standard
 * normal weights `w` (seed `options.seed`), so every output element takes part in the check.
 *
 * Each element `x` of each float32 argument is moved to `x ± eps` (rounded to float32), `fn` runs on
 * float32 tensors, and the difference quotient is formed in float64 with the exact float32 step
 * `x₊ − x₋`. With float32 forwards the rounding error of the quotient is about `1e-7·|f| / eps` and
 * the truncation error about `eps²·|f'''|`, so `eps = 1e-3` balances them near 1e-4 for values of
 * order one. Inputs must stay away from kinks (`relu` at 0, ties of `max`) by more than `eps`.
 * int32 arguments (indices) are passed through unchanged and not checked.
 *
 * @example
 * expect(gradCheck((a, b) => mul(a, b), [a, b]).ok).toBe(true);
 */
export function gradCheck(
  fn: (...args: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  options: GradCheckOptions = {},
): GradCheckResult {
  installTape();
  checkOptions(options, { eps: true, atol: true, rtol: true, seed: true }, 'gradCheck');
  const eps = positive(options.eps, 1e-3, 'eps');
  const atol = positive(options.atol, 1e-3, 'atol');
  const rtol = positive(options.rtol, 1e-2, 'rtol');
  if (typeof fn !== 'function') throw new ArgumentError(`gradCheck: got ${typeof fn}; expected a function`);
  return engine().tidy(() => {
    const args = inputs.map((x, i) => {
      if (!(x instanceof Tensor))
        throw new ArgumentError(`gradCheck: argument ${i} is ${String(x)}; expected a Tensor`);
      const leaf = detach(x);
      leaf.requiresGrad = leaf.dtype === 'float32';
      return leaf;
    });
    const out = fn(...args);
    if (!(out instanceof Tensor) || !out.requiresGrad) {
      throw new GradientError('gradCheck: fn did not return a tensor computed from its float32 arguments');
    }
    const weights = noGrad(() =>
      out.size === 1 ? ones(out.shape) : randn(out.shape, new Rng(options.seed ?? 0)),
    );
    const analytic = computeLeafGradients(out, { grad: weights }, 'gradCheck');
    const w = weights.dataSync() as Float32Array;
    const evaluate = (
      arg: Tensor,
      index: number,
      base: Float64Array,
      delta: number,
    ): { value: number; x: number } => {
      const values = Float32Array.from(base);
      values[index] = base[index]! + delta;
      const moved = tensor(values, arg.shape);
      const value = projected(
        fn,
        args.map((a) => (a === arg ? moved : a)),
        w,
      );
      moved.dispose();
      return { value, x: values[index]! };
    };

    let maxAbsError = 0;
    let maxRelError = 0;
    let worstExcess = -Infinity;
    let worst: GradCheckWorst | null = null;
    for (let input = 0; input < args.length; input++) {
      const arg = args[input]!;
      if (arg.dtype !== 'float32') continue;
      const at = analytic.leaves.indexOf(arg);
      const g = at >= 0 ? analytic.grads[at]!.dataSync() : new Float32Array(arg.size);
      const base = Float64Array.from(arg.dataSync());
      for (let index = 0; index < base.length; index++) {
        const plus = evaluate(arg, index, base, eps);
        const minus = evaluate(arg, index, base, -eps);
        const numeric = (plus.value - minus.value) / (plus.x - minus.x);
        const a = g[index]!;
        const abs = Math.abs(a - numeric);
        const scale = Math.max(Math.abs(a), Math.abs(numeric));
        maxAbsError = Math.max(maxAbsError, abs);
        if (scale > 0) maxRelError = Math.max(maxRelError, abs / scale);
        const excess = Number.isNaN(abs) ? Infinity : abs - (atol + rtol * Math.abs(numeric));
        if (excess > worstExcess) {
          worstExcess = excess;
          worst = { input, index, analytic: a, numeric };
        }
      }
    }
    return { maxAbsError, maxRelError, ok: worstExcess <= 0, worst };
  });
}
