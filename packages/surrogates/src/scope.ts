import { ArgumentError } from '@fbt/tensor';
import { toRule, type Rule, type RuleLike } from './rule';

/** What a selector sees of an activation call. */
export interface ActivationInfo {
  /** The activation's name (its forward's name unless it was given one). */
  readonly name: string;
  /** The forward activation's canonical name. */
  readonly forward: string;
}

/**
 * Picks activations for `withRule`: a string matches the activation's name or its forward's name,
 * a RegExp is tested against both, a function decides.
 */
export type Selector = string | RegExp | ((info: ActivationInfo) => boolean);

interface Override {
  readonly rule: Rule;
  readonly selector: Selector | undefined;
}

const overrides: Override[] = [];

function matches(selector: Selector | undefined, info: ActivationInfo): boolean {
  if (selector === undefined) return true;
  if (typeof selector === 'string') return selector === info.name || selector === info.forward;
  if (selector instanceof RegExp) return selector.test(info.name) || selector.test(info.forward);
  return selector(info);
}

/**
 * Runs `fn` with `rule` as the backward rule of every activation called inside it (or of those the
 * selector picks), without editing the model. The rule is bound when the activation's forward runs,
 * so a backward run after `fn` returned still uses it. Scopes nest; the innermost matching one wins.
 * `fn` must do its forward passes synchronously: an async `fn` is refused.
 *
 * @example
 * const loss = withRule('rectangular', () => lossOf(model(x)));
 * backward(loss); // rectangular, although the scope has ended
 */
export function withRule<T>(rule: RuleLike, fn: () => T, selector?: Selector): T {
  if (typeof fn !== 'function') throw new ArgumentError(`withRule: fn ${String(fn)} is not a function`);
  if (
    selector !== undefined &&
    !['string', 'function'].includes(typeof selector) &&
    !(selector instanceof RegExp)
  ) {
    throw new ArgumentError(`withRule: selector ${String(selector)} is not a string, RegExp or function`);
  }
  overrides.push({ rule: toRule(rule, undefined, 'withRule'), selector });
  let result: T;
  try {
    result = fn();
  } finally {
    overrides.pop();
  }
  if (result instanceof Promise) {
    throw new ArgumentError(
      'withRule: fn returned a Promise; the scope only covers synchronous code, so run the forward pass synchronously inside fn',
    );
  }
  return result;
}

/** The rule of the innermost `withRule` scope that selects this activation, if any. */
export function overrideFor(info: ActivationInfo): Rule | undefined {
  for (let i = overrides.length - 1; i >= 0; i--) {
    const o = overrides[i]!;
    if (matches(o.selector, info)) return o.rule;
  }
  return undefined;
}
