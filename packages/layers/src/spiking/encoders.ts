import { noGrad } from '@fbt/autograd';
import {
  ArgumentError,
  DTypeError,
  Rng,
  Tensor,
  arange,
  checkOptions,
  clamp,
  div,
  equal,
  expandDims,
  greaterEqual,
  less,
  log,
  mapExpr,
  max,
  maximum,
  min,
  minimum,
  mul,
  rand,
  reciprocal,
  reshape,
  sub,
  type OptionKeys,
} from '@fbt/tensor';
import { assertPositiveInt } from '../layers/checks';

/** Options of `rateEncode`. */
export interface RateEncodeOptions {
  /** Factor applied to `x` before clamping to [0, 1] (default 1). */
  readonly gain?: number;
}

/** Options of `latencyEncode` (snnTorch's `spikegen.latency` arguments). */
export interface LatencyEncodeOptions {
  /** RC time constant of the charging neuron (log code) or slope of the linear code; > 0 (default 1). */
  readonly tau?: number;
  /** Values below it fire last (or never, with `clip`); in (0, 1) (default 0.01). */
  readonly threshold?: number;
  /** The linear code instead of the logarithmic one (default false). */
  readonly linear?: boolean;
  /** Stretches the spike times so the latest one falls on step T − 1 (default false). */
  readonly normalize?: boolean;
  /** No spike at all for values below `threshold` (default false). */
  readonly clip?: boolean;
}

const RATE_KEYS: OptionKeys<RateEncodeOptions> = { gain: true };
const LATENCY_KEYS: OptionKeys<LatencyEncodeOptions> = {
  tau: true,
  threshold: true,
  linear: true,
  normalize: true,
  clip: true,
};

/** snnTorch's `epsilon`, which keeps the log code's denominator away from zero. */
const LATENCY_EPSILON = 1e-7;

/** Round half to even (torch.round) of a float32 tensor of spike times. */
const ROUND_HALF_EVEN =
  'floor(t + 0.5) - (floor(t + 0.5) - t == 0.5 && floor(t + 0.5) - 2 * floor(floor(t + 0.5) / 2) == 1 ? 1 : 0)';

function readScalar(t: Tensor): number {
  return t.dataSync()[0]!;
}

/** Checks `x` (a float32 tensor without NaN) and returns its smallest and largest value. */
function inputRange(x: Tensor, op: string): [number, number] {
  if (!(x instanceof Tensor)) throw new ArgumentError(`${op}: x is ${String(x)}; expected a Tensor`);
  if (x.dtype !== 'float32') throw new DTypeError(`${op}: x has dtype ${x.dtype}; expected float32`);
  if (x.size === 0) return [0, 0];
  const lo = readScalar(min(x));
  const hi = readScalar(max(x));
  if (Number.isNaN(lo) || Number.isNaN(hi))
    throw new ArgumentError(`${op}: x contains NaN; expected numbers`);
  return [lo, hi];
}

function assertNumberIn(
  value: unknown,
  name: string,
  op: string,
  ok: (v: number) => boolean,
  range: string,
): void {
  if (typeof value !== 'number' || !ok(value)) {
    throw new ArgumentError(`${op}: ${name}=${String(value)}; expected ${range}`);
  }
}

function assertBoolean(value: unknown, name: string, op: string): void {
  if (typeof value !== 'boolean')
    throw new ArgumentError(`${op}: ${name}=${String(value)}; expected true or false`);
}

/**
 * Rate coding, as snnTorch's `spikegen.rate(x, num_steps)`: `numSteps` independent Bernoulli draws
 * of probability clamp(gain·x, 0, 1) per element, drawn from `rng` (same seed, same spikes).
 * Returns float32 0/1 spikes `[numSteps, ...x.shape]`. Values outside [0, 1] are clamped, as in
 * snnTorch; NaN is refused. A spike is drawn as u < p with u uniform in [0, 1), so p = 0 never
 * fires and p = 1 always does.
 *
 * @example
 * const spikes = rateEncode(images, 25, new Rng(0)); // [25, N, 784]
 */
export function rateEncode(x: Tensor, numSteps: number, rng: Rng, options: RateEncodeOptions = {}): Tensor {
  checkOptions(options, RATE_KEYS, 'rateEncode');
  inputRange(x, 'rateEncode');
  assertPositiveInt(numSteps, 'numSteps', 'rateEncode');
  if (!(rng instanceof Rng)) throw new ArgumentError(`rateEncode: rng is ${String(rng)}; expected an Rng`);
  const { gain = 1 } = options;
  assertNumberIn(gain, 'gain', 'rateEncode', Number.isFinite, 'a finite number');
  return noGrad(() => less(rand([numSteps, ...x.shape], rng), clamp(mul(x, gain), 0, 1)));
}

/**
 * Latency coding, as snnTorch's `spikegen.latency(x, num_steps, threshold, tau=tau, clip=clip,
 * normalize=normalize, linear=linear)` (0.9, with its `epsilon = 1e-7` and `first_spike_time = 0`):
 * each element fires once, at a step that comes earlier the larger the value. The spike time is
 *
 * - logarithmic (default): t = τ·ln(v / (v − threshold)) with v = max(x, threshold + 1e-7), the
 *   time an RC circuit charged by x takes to reach the threshold; `normalize` rescales t by
 *   (T − 1) / max(t) over the whole tensor;
 * - `linear`: t = min(τ·(1 − x), τ·(1 − threshold)); `normalize` sets
 *   τ = T − 1 (so x = 1 fires at step 0 and x ≤ threshold at T − 1) and, when some x > 1 makes a
 *   time negative, maps the times linearly onto [0, T − 1]. Without `normalize`, x must be ≤ 1.
 *
 * t is rounded half to even (torch.round) to a step index. Values below `threshold` get the
 * latest time (that of threshold + 1e-7: step T − 1 with `normalize`) or, with `clip`, no spike.
 * A time rounding to T or later gives no spike: snnTorch clips it and
 * then also empties its whole last step (the spikes that legitimately fell on T − 1 included); fbt
 * keeps those. Returns float32 0/1 spikes `[numSteps, ...x.shape]`. NaN is refused.
 *
 * @example
 * latencyEncode(tensor([0.02, 0.5, 1]), 5, { normalize: true, linear: true });
 * // spikes at steps 4, 2 and 0
 */
export function latencyEncode(x: Tensor, numSteps: number, options: LatencyEncodeOptions = {}): Tensor {
  const op = 'latencyEncode';
  checkOptions(options, LATENCY_KEYS, op);
  const [, hi] = inputRange(x, op);
  assertPositiveInt(numSteps, 'numSteps', op);
  const { tau = 1, threshold = 0.01, linear = false, normalize = false, clip = false } = options;
  assertNumberIn(tau, 'tau', op, (v) => v > 0 && v < Infinity, 'a finite number > 0');
  assertNumberIn(threshold, 'threshold', op, (v) => v > 0 && v < 1, 'a number in (0, 1)');
  assertBoolean(linear, 'linear', op);
  assertBoolean(normalize, 'normalize', op);
  assertBoolean(clip, 'clip', op);
  if (linear && !normalize && hi > 1) {
    throw new ArgumentError(
      `${op}: x has values up to ${hi}, which give negative spike times in the linear code; expected x <= 1, or normalize: true`,
    );
  }
  return noGrad(() => {
    const times = linear
      ? linearTimes(x, numSteps, normalize ? numSteps - 1 : tau, threshold, normalize && hi > 1)
      : logTimes(x, numSteps, tau, threshold, normalize);
    const index = mapExpr(ROUND_HALF_EVEN, { t: times });
    const steps = reshape(arange(numSteps), [numSteps, ...x.shape.map(() => 1)]);
    const spikes = equal(steps, expandDims(index, 0));
    return clip ? mul(spikes, greaterEqual(x, threshold)) : spikes;
  });
}

function logTimes(x: Tensor, numSteps: number, tau: number, threshold: number, normalize: boolean): Tensor {
  const v = maximum(x, threshold + LATENCY_EPSILON);
  const t = mul(log(div(v, sub(v, threshold))), tau);
  return normalize ? div(mul(t, numSteps - 1), max(t)) : t;
}

/** The linear code's times; `rescale` (some x > 1 under `normalize`) maps them onto [0, T − 1]. */
function linearTimes(x: Tensor, numSteps: number, tau: number, threshold: number, rescale: boolean): Tensor {
  const t = minimum(mul(sub(x, 1), -tau), -tau * (threshold - 1));
  if (!rescale || tau === 0) return t;
  const lo = min(t);
  return mul(mul(sub(t, lo), reciprocal(sub(max(t), lo))), numSteps - 1);
}
