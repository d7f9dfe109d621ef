import { ArgumentError } from '@fbt/tensor';
import { compileExpr } from './expr';
import { formatRange, inRange, type ParamConstraint, type ParamSpec } from './formulas/params';

/** Parameter values by name. */
export type Params = Readonly<Record<string, number>>;

/** What `resolveParams` needs to know about an entry. */
export interface ParamOwner {
  /** Entry name, used in messages. */
  readonly name: string;
  /** Declared parameters. */
  readonly params: readonly ParamSpec[];
  /** Conditions between parameters. */
  readonly constraints?: readonly ParamConstraint[];
}

/** Lists an entry's parameters as `a=-0.5 (-∞, ∞)`, for messages. */
export function describeParams(owner: ParamOwner): string {
  if (owner.params.length === 0) return 'none';
  return owner.params.map((p) => `${p.name}=${p.default} ${formatRange(p)}`).join(', ');
}

/**
 * Fills in defaults and validates `given` against the entry: an unknown name, a value outside its
 * range (or not finite, or not an integer where one is needed) or a failed constraint throws an
 * `ArgumentError` that names `context`, the culprit and what is allowed.
 */
export function resolveParams(owner: ParamOwner, given: Params = {}, context: string = owner.name): Params {
  const known = new Set(owner.params.map((p) => p.name));
  for (const key of Object.keys(given)) {
    if (!known.has(key)) {
      throw new ArgumentError(
        `${context}: '${owner.name}' has no parameter '${key}'; its parameters: ${describeParams(owner)}`,
      );
    }
  }
  const out: Record<string, number> = {};
  for (const spec of owner.params) {
    const value = given[spec.name] ?? spec.default;
    if (typeof value !== 'number' || !inRange(spec, value)) {
      throw new ArgumentError(
        `${context}: '${owner.name}' parameter ${spec.name}=${String(value)} is out of range; expected ${formatRange(spec)}`,
      );
    }
    out[spec.name] = value;
  }
  const names = owner.params.map((p) => p.name);
  for (const c of owner.constraints ?? []) {
    const holds = compileExpr(c.expr, [], names, owner.name)(...names.map((n) => out[n]!));
    if (!holds) {
      const values = names.map((n) => `${n}=${out[n]}`).join(', ');
      throw new ArgumentError(`${context}: '${owner.name}' needs ${c.text}; got ${values}`);
    }
  }
  return Object.freeze(out);
}
