import { ArgumentError, Rng, checkOptions, tensor, tidy } from '@fbt/tensor';
import { applyRule } from './apply';
import { compileLowered } from './evaluate';
import { toForward, type Forward, type ForwardLike } from './forward';
import { lowerRule } from './lower';
import type { RuleOperand } from './operands';
import type { Params } from './resolve-params';
import { toRule, type FunctionRule, type RuleLike, type TableRule } from './rule';

/** Options of `sample`. */
export interface SampleOptions {
  /** Parameters of the rule (when given by name). */
  readonly params?: Params;
  /** The forward activation, needed by rules that read φ' (`tied`, `support`). */
  readonly forward?: ForwardLike;
  /** Seed of the draws of stochastic rules (default 0). */
  readonly seed?: number;
}

function sampleStep(
  step: TableRule | FunctionRule,
  g: Float32Array,
  z: Float32Array,
  forward: Forward | undefined,
  rng: Rng,
): Float32Array {
  if (step.kind === 'table' && step.entry.form.kind !== 'reduction') {
    const lowered = lowerRule(step, forward, 'sample');
    const fn = compileLowered(lowered, step.name);
    const read: Record<RuleOperand, (i: number) => number> = {
      grad: (i) => g[i]!,
      z: (i) => z[i]!,
      uniform: () => rng.uniform(),
      normal: () => rng.normal(),
    };
    const readers = lowered.operands.map((o) => read[o]);
    return Float32Array.from(z, (_, i) => fn(...readers.map((r) => r(i))));
  }
  return tidy(() => {
    const out = applyRule(step, { grad: tensor(g), z: tensor(z), forward, rng, context: 'sample' });
    return Float32Array.from(out.dataSync());
  });
}

/**
 * The gradient a rule passes down at each point of the grid `zs` when the upstream gradient is 1,
 * that is ψ(z) for factor rules: for docs and plots. Expression steps run the plain-JS evaluator of
 * the table's formula; reductions and function rules run on tensors. `zs` is rounded to float32 like
 * a tensor. Stochastic rules draw from `Rng(seed)`, one value per point, in order.
 *
 * @example
 * sample('triangular', [-1, -0.5, 0, 0.5, 1]); // [0, 0.5, 1, 0.5, 0]
 */
export function sample(
  rule: RuleLike,
  zs: Float32Array | readonly number[],
  options: SampleOptions = {},
): Float32Array {
  if (!(zs instanceof Float32Array) && !Array.isArray(zs)) {
    throw new ArgumentError(`sample: zs is ${String(zs)}; expected a Float32Array or an array of numbers`);
  }
  checkOptions(options, { params: true, forward: true, seed: true }, 'sample');
  const r = toRule(rule, options.params, 'sample');
  const forward = options.forward === undefined ? undefined : toForward(options.forward, undefined, 'sample');
  const rng = new Rng(options.seed ?? 0);
  const z = Float32Array.from(zs);
  let g: Float32Array = new Float32Array(z.length).fill(1);
  for (const step of r.kind === 'compose' ? r.steps : [r]) g = sampleStep(step, g, z, forward, rng);
  return g;
}
