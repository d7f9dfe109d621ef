import { ArgumentError, checkOptions, mentionsName, parseFormula, type Rng, type Tensor } from '@fbt/tensor';
import { compileExpr } from './expr';
import type { ParamConstraint, ParamSpec } from './formulas/params';
import { OPERAND_NAMES, formulaNames } from './operands';
import { RULES, type RuleDraw, type RuleEntry, type RuleForm } from './formulas/rules';
import { Registry } from './registry';
import { resolveParams, type Params } from './resolve-params';

/**
 * A user backward rule: gets the pre-activation z, the upstream gradient g and the backward pass's
 * seeded generator, returns the gradient to pass down (z's shape). It runs outside the tape.
 */
export type RuleFn = (z: Tensor, g: Tensor, rng: Rng) => Tensor;

/** A table rule bound to parameter values. */
export interface TableRule {
  /** Discriminant. */
  readonly kind: 'table';
  /** The entry's name. */
  readonly name: string;
  /** The table entry. */
  readonly entry: RuleEntry;
  /** Validated parameter values, defaults filled in. */
  readonly params: Params;
}

/** A rule given as a function. */
export interface FunctionRule {
  /** Discriminant. */
  readonly kind: 'function';
  /** Name for messages and docs. */
  readonly name: string;
  /** The function. */
  readonly fn: RuleFn;
}

/** Rules applied one after another, each to the gradient the previous one produced. */
export interface ComposedRule {
  /** Discriminant. */
  readonly kind: 'compose';
  /** The step names joined by `+`, unless registered under another name. */
  readonly name: string;
  /** The steps, in order (never themselves composed). */
  readonly steps: readonly (TableRule | FunctionRule)[];
}

/** A backward rule, ready to apply. */
export type Rule = TableRule | FunctionRule | ComposedRule;

/** A backward rule given by name (or alias), as a `Rule` object, or as a function. */
export type RuleLike = string | Rule | RuleFn;

/** A new table rule for `register`: a formula in the `mapExpr` language (see `RuleForm`). */
export interface RuleDefinition {
  /** The formula. */
  readonly form: RuleForm;
  /** The random input it reads, if any. */
  readonly draw?: RuleDraw;
  /** Parameters with defaults and ranges (default: none). */
  readonly params?: readonly ParamSpec[];
  /** Conditions between parameters. */
  readonly constraints?: readonly ParamConstraint[];
  /** Other names. */
  readonly aliases?: readonly string[];
  /** The formula in LaTeX. */
  readonly latex?: string;
  /** One line of documentation. */
  readonly doc?: string;
}

/** A registered preset: a rule object stored under a name. */
type Preset = Rule & { readonly aliases?: undefined };

const rules = new Registry<RuleEntry | Preset>('backward rule', RULES);

/** Registered rules in order: table entries and presets. */
export function ruleItems(): readonly (RuleEntry | Rule)[] {
  return rules.list();
}

/** True for a `Rule` object. */
export function isRule(value: unknown): value is Rule {
  if (typeof value !== 'object' || value === null) return false;
  const kind = (value as { kind?: unknown }).kind;
  return kind === 'table' || kind === 'function' || kind === 'compose';
}

function bindEntry(entry: RuleEntry, params: Params | undefined, context: string): TableRule {
  return Object.freeze({
    kind: 'table',
    name: entry.name,
    entry,
    params: resolveParams(entry, params, context),
  });
}

function hasParams(params: Params | undefined): params is Params {
  return params !== undefined && Object.keys(params).length > 0;
}

/**
 * Resolves a rule given by name, object or function. `params` bind a table rule's parameters
 * (merged over a `TableRule`'s own); a function, composed or preset rule takes none.
 */
export function toRule(like: RuleLike, params: Params | undefined, context: string): Rule {
  if (typeof like === 'string') {
    const item = rules.get(like, context);
    return isRule(item) ? toRule(item, params, context) : bindEntry(item, params, context);
  }
  if (typeof like === 'function') {
    if (hasParams(params))
      throw new ArgumentError(
        `${context}: a function rule takes no parameters; got ${Object.keys(params).join(', ')}`,
      );
    return Object.freeze({ kind: 'function', name: like.name || 'custom', fn: like });
  }
  if (isRule(like)) {
    if (like.kind === 'table')
      return hasParams(params) ? bindEntry(like.entry, { ...like.params, ...params }, context) : like;
    if (hasParams(params)) {
      throw new ArgumentError(
        `${context}: rule '${like.name}' takes no parameters; got ${Object.keys(params).join(', ')}`,
      );
    }
    return like;
  }
  throw new ArgumentError(
    `${context}: backward rule ${String(like)} is neither a name, a rule object nor a function; valid names: ${rules.names().join(', ')}`,
  );
}

/**
 * Binds the backward rule `name` to `params` (defaults filled in, ranges checked).
 *
 * @example
 * rule('rectangular', { a: -1, b: 1 });
 */
export function rule(name: string, params?: Params): Rule {
  return toRule(name, params, 'rule');
}

/**
 * Chains rules: each step transforms the gradient the previous one produced, so
 * `compose('rectangular', 'noise')` passes `g·1[a≤z≤b] + σn`. Nested compositions are flattened.
 *
 * @example
 * activation('heaviside', compose('rectangular', rule('noise', { sigma: 0.05 })));
 */
export function compose(...parts: RuleLike[]): ComposedRule {
  if (parts.length === 0) throw new ArgumentError('compose: got no rules; expected at least one');
  const steps = parts.flatMap((part) => {
    const r = toRule(part, undefined, 'compose');
    return r.kind === 'compose' ? r.steps : [r];
  });
  return Object.freeze({ kind: 'compose', name: steps.map((s) => s.name).join('+'), steps });
}

function isDefinition(value: unknown): value is RuleDefinition {
  return typeof value === 'object' && value !== null && 'form' in value;
}

/** The formula of a registrable form, or an `ArgumentError` for any other kind. */
function formulaOf(form: RuleForm, context: string): string {
  if (form.kind === 'factor') return form.psi;
  if (form.kind === 'map') return form.grad;
  throw new ArgumentError(
    `${context}: form kind '${form.kind}' cannot be registered; expected 'factor' or 'map'`,
  );
}

function checkDefinition(definition: RuleDefinition, context: string): void {
  checkOptions(
    definition,
    { form: true, draw: true, params: true, constraints: true, aliases: true, latex: true, doc: true },
    context,
  );
  const { form, draw } = definition;
  const paramNames = (definition.params ?? []).map((p) => p.name);
  if (draw !== undefined && draw !== 'uniform' && draw !== 'normal') {
    throw new ArgumentError(`${context}: draw '${String(draw)}' is unknown; expected 'uniform' or 'normal'`);
  }
  const formula = formulaOf(form, context);
  if (form.kind === 'factor' && draw === 'normal') {
    throw new ArgumentError(`${context}: a factor rule draws 'uniform' u; use a 'map' form for normal noise`);
  }
  const names = formulaNames(form, draw);
  const tree = parseFormula(formula, names, paramNames, context);
  compileExpr(formula, names, paramNames, context);
  const drawName = draw === undefined ? undefined : OPERAND_NAMES[draw];
  if (drawName !== undefined && !mentionsName(tree, drawName)) {
    throw new ArgumentError(
      `${context}: draw '${draw}' gives the formula a random input '${drawName}' that '${formula}' never reads; read '${drawName}' or drop draw`,
    );
  }
}

/**
 * Adds a backward rule under `name`: either a new formula (a `RuleDefinition`, which every backend
 * runs through `mapExpr` and the docs list with its LaTeX), or a preset (a name, rule object or
 * function stored under the new name). Names and aliases must be new.
 *
 * @example
 * register('wideRect', rule('rectangular', { a: -2, b: 2 }));
 * register('gauss', { form: { kind: 'factor', psi: 'exp(-z * z / (2 * s * s))' }, params: [{ name: 's', default: 1, min: 0, exclusiveMin: true, doc: 'width' }] });
 */
export function register(name: string, definition: RuleLike | RuleDefinition): void {
  const context = `register('${name}')`;
  if (isDefinition(definition)) {
    checkDefinition(definition, context);
    const entry: RuleEntry = {
      name,
      aliases: definition.aliases ?? [],
      params: definition.params ?? [],
      latex: definition.latex ?? '',
      form: definition.form,
      family: 'user',
      doc: definition.doc ?? '',
      ...(definition.draw ? { draw: definition.draw } : {}),
      ...(definition.constraints ? { constraints: definition.constraints } : {}),
    };
    resolveParams(entry, {}, context);
    rules.add(entry);
    return;
  }
  const preset = toRule(definition, undefined, context);
  rules.add(Object.freeze({ ...preset, name }) as Preset);
}
