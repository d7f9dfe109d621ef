import { ArgumentError, checkOptions } from '@fbt/tensor';
import { compileExpr } from './expr';
import { ACTIVATIONS, type ActivationEntry } from './formulas/activations';
import type { ParamConstraint, ParamSpec } from './formulas/params';
import { Registry } from './registry';
import { resolveParams, type Params } from './resolve-params';

/** A forward activation of the table bound to parameter values. */
export interface Forward {
  /** Discriminant. */
  readonly kind: 'forward';
  /** The table entry. */
  readonly entry: ActivationEntry;
  /** Validated parameter values, defaults filled in. */
  readonly params: Params;
}

/** A forward activation given by name (or alias) or as a bound `Forward`. */
export type ForwardLike = string | Forward;

/** A user activation for `registerActivation`: expressions in the `mapExpr` language over `z`. */
export interface ActivationDefinition {
  /** φ(z). */
  readonly expr: string;
  /** The exact derivative φ'(z) (used by `tied` and `support`). */
  readonly derivative: string;
  /** Parameters with defaults and ranges (default: none). */
  readonly params?: readonly ParamSpec[];
  /** Conditions between parameters. */
  readonly constraints?: readonly ParamConstraint[];
  /** Other names. */
  readonly aliases?: readonly string[];
  /** φ(z) in LaTeX. */
  readonly latex?: string;
  /** φ'(z) in LaTeX. */
  readonly derivativeLatex?: string;
  /** One line of documentation. */
  readonly doc?: string;
}

const activations = new Registry<ActivationEntry>('activation', ACTIVATIONS);

/** The activation registry (built-ins first, then registered ones). */
export function activationEntries(): readonly ActivationEntry[] {
  return activations.list();
}

/**
 * Binds the activation `name` to `params` (defaults filled in, ranges checked).
 *
 * @example
 * forward('elu', { alpha: 0.5 });
 */
export function forward(name: string, params?: Params): Forward {
  const entry = activations.get(name, 'forward');
  return Object.freeze({ kind: 'forward', entry, params: resolveParams(entry, params, 'forward') });
}

/** True for a `Forward` object. */
export function isForward(value: unknown): value is Forward {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'forward';
}

/**
 * Resolves a name or a `Forward` (re-binding its parameters merged with `params` when given);
 * throws an `ArgumentError` naming `context` for anything else.
 */
export function toForward(like: ForwardLike, params: Params | undefined, context: string): Forward {
  if (typeof like === 'string') {
    const entry = activations.get(like, context);
    return Object.freeze({ kind: 'forward', entry, params: resolveParams(entry, params, context) });
  }
  if (isForward(like)) {
    if (params === undefined || Object.keys(params).length === 0) return like;
    return Object.freeze({
      kind: 'forward',
      entry: like.entry,
      params: resolveParams(like.entry, { ...like.params, ...params }, context),
    });
  }
  throw new ArgumentError(
    `${context}: forward activation ${String(like)} is neither a name nor a forward(...) object; valid names: ${activations.names().join(', ')}`,
  );
}

/**
 * Adds a forward activation to the registry, after checking that both expressions compile over `z`
 * and the declared parameters. Its name and aliases must be new.
 *
 * @example
 * registerActivation('softsign', { expr: 'z / (1 + abs(z))', derivative: '1 / pow(1 + abs(z), 2)' });
 */
export function registerActivation(name: string, definition: ActivationDefinition): void {
  const params = definition.params ?? [];
  const context = `registerActivation('${name}')`;
  checkOptions(
    definition,
    {
      expr: true,
      derivative: true,
      params: true,
      constraints: true,
      aliases: true,
      latex: true,
      derivativeLatex: true,
      doc: true,
    },
    context,
  );
  if (typeof definition.expr !== 'string' || typeof definition.derivative !== 'string') {
    throw new ArgumentError(`${context}: expected { expr, derivative } as expression strings`);
  }
  const paramNames = params.map((p) => p.name);
  compileExpr(definition.expr, ['z'], paramNames, context);
  compileExpr(definition.derivative, ['z'], paramNames, context);
  const entry: ActivationEntry = {
    name,
    aliases: definition.aliases ?? [],
    params,
    latex: definition.latex ?? '',
    derivativeLatex: definition.derivativeLatex ?? '',
    expr: definition.expr,
    derivative: definition.derivative,
    doc: definition.doc ?? '',
    ...(definition.constraints ? { constraints: definition.constraints } : {}),
  };
  resolveParams(entry, {}, context);
  activations.add(entry);
}
