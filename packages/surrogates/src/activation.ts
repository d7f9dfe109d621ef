import { customOp } from '@fbt/autograd';
import { ArgumentError, DTypeError, Tensor, checkOptions } from '@fbt/tensor';
import { applyRule, runLowered } from './apply';
import { toForward, type Forward, type ForwardLike } from './forward';
import { lowerForward } from './lower';
import type { Params } from './resolve-params';
import { toRule, type Rule, type RuleLike } from './rule';
import { overrideFor } from './scope';

/** Parameters split explicitly between the forward activation and the backward rule. */
export interface SplitParams {
  /** Parameters of the forward activation. */
  readonly forward?: Params;
  /** Parameters of the backward rule. */
  readonly backward?: Params;
}

/**
 * Parameters of `activation`: either split (`{ forward: {...}, backward: {...} }`) or flat, in which
 * case each key goes to whichever of the two declares it; a key both declare must use the split form.
 */
export type ActivationParams = Params | SplitParams;

/** Options of `activation`. */
export interface ActivationOptions {
  /** Name for `withRule` selectors and messages (default: the forward's name). */
  readonly name?: string;
}

/** A decoupled activation: φ in the forward, its rule in the backward. */
export interface ActivationFn {
  /** Applies φ to `z`; when `z` requires a gradient, records one tape node carrying the rule. */
  (z: Tensor): Tensor;
  /** The name selectors see. */
  readonly name: string;
  /** The forward activation. */
  readonly forward: Forward;
  /** The backward rule used outside any matching `withRule` scope. */
  readonly rule: Rule;
}

interface SurrogateAttrs {
  readonly forward: Forward;
  readonly rule: Rule;
  readonly context: string;
}

const surrogateOp = customOp<SurrogateAttrs>({
  name: 'activation',
  forward: ([z], attrs) => ({ output: runLowered(lowerForward(attrs.forward), [z!]) }),
  backward: ({ grad, inputs, attrs, rng }) => [
    applyRule(attrs.rule, { grad, z: inputs[0]!, forward: attrs.forward, rng, context: attrs.context }),
  ],
});

function isSplit(params: ActivationParams): params is SplitParams {
  const entries = Object.entries(params);
  return (
    entries.length > 0 &&
    entries.every(([k, v]) => (k === 'forward' || k === 'backward') && typeof v === 'object' && v !== null)
  );
}

function ruleParamNames(backward: RuleLike): readonly string[] {
  const r = toRule(backward, undefined, 'activation');
  return r.kind === 'table' ? r.entry.params.map((p) => p.name) : [];
}

function splitParams(
  forward: ForwardLike,
  backward: RuleLike,
  params: ActivationParams | undefined,
): SplitParams {
  if (params === undefined) return {};
  if (typeof params !== 'object' || params === null) {
    throw new ArgumentError(
      `activation: params ${String(params)} is not an object; expected { name: number } or { forward, backward }`,
    );
  }
  if (isSplit(params)) return params;
  const flat = params as Params;
  const forwardNames = toForward(forward, undefined, 'activation').entry.params.map((p) => p.name);
  const backwardNames = ruleParamNames(backward);
  const fwd: Record<string, number> = {};
  const bwd: Record<string, number> = {};
  for (const [key, value] of Object.entries(flat)) {
    const inForward = forwardNames.includes(key);
    const inBackward = backwardNames.includes(key);
    if (inForward && inBackward) {
      throw new ArgumentError(
        `activation: parameter '${key}' belongs to both the forward and the backward rule; use { forward: { ${key} }, backward: { ${key} } }`,
      );
    }
    if (!inForward && !inBackward) {
      throw new ArgumentError(
        `activation: unknown parameter '${key}'; forward parameters: ${forwardNames.join(', ') || 'none'}; backward parameters: ${backwardNames.join(', ') || 'none'}`,
      );
    }
    (inForward ? fwd : bwd)[key] = value;
  }
  return { forward: fwd, backward: bwd };
}

/**
 * Pairs a forward activation φ with a backward rule: the returned function computes φ(z) and, in
 * backprop, passes down what the rule makes of the upstream gradient instead of g·φ'(z). Without a
 * backward rule it is `tied` (ordinary backprop). Forward and rule may be names, `forward(...)` /
 * `rule(...)` objects, and the rule a function `(z, g, rng) => Tensor`. Unknown names and bad
 * parameters throw an `ArgumentError` listing what is valid. The rule actually used is chosen when
 * the forward runs (the innermost matching `withRule` scope, else this one) and stored on the tape.
 *
 * @example
 * const act = activation('heaviside', 'rectangular', { a: -1, b: 1 });
 * const y = act(z); // H(z); backward passes g·1[-1 ≤ z ≤ 1]
 */
export function activation(
  forward: ForwardLike,
  backward: RuleLike = 'tied',
  params?: ActivationParams,
  options: ActivationOptions = {},
): ActivationFn {
  checkOptions(options, { name: true }, 'activation');
  const split = splitParams(forward, backward, params);
  const f = toForward(forward, split.forward, 'activation');
  const r = toRule(backward, split.backward, 'activation');
  const name = options.name ?? f.entry.name;
  const context = `activation '${name}' (${f.entry.name})`;
  const info = { name, forward: f.entry.name };
  const act = (z: Tensor): Tensor => {
    if (!(z instanceof Tensor))
      throw new ArgumentError(`${context}: input is ${String(z)}; expected a Tensor`);
    if (z.dtype !== 'float32')
      throw new DTypeError(`${context}: input has dtype ${z.dtype}; expected float32`);
    return surrogateOp([z], { forward: f, rule: overrideFor(info) ?? r, context });
  };
  Object.defineProperty(act, 'name', { value: name });
  return Object.assign(act, { forward: f, rule: r }) as ActivationFn;
}
