import { ArgumentError, checkOptions } from '@fbt/tensor';
import { compileExpr, type ScalarFormula } from './expr';
import { toForward, type Forward, type ForwardLike } from './forward';
import { lowerForward, lowerRule, type Lowered } from './lower';
import { OPERAND_NAMES } from './operands';
import type { Params } from './resolve-params';
import { toRule, type RuleLike } from './rule';

/** A lowered expression compiled to a scalar function of its inputs (parameters bound). */
export type BoundFormula = (...inputs: number[]) => number;

/** Compiles a lowered `mapExpr` call into a plain-JS function of its inputs, parameters bound. */
export function compileLowered(lowered: Lowered, context: string): BoundFormula {
  const paramNames = Object.keys(lowered.params);
  const fn: ScalarFormula = compileExpr(lowered.expr, lowered.names, paramNames, context);
  const paramValues = paramNames.map((k) => lowered.params[k]!);
  return (...inputs) => fn(...inputs, ...paramValues);
}

/** Plain-JS φ and φ' of a forward activation, from the table's expressions. */
export interface ActivationFormulas {
  /** φ(z). */
  value(z: number): number;
  /** φ'(z), the value `tied` multiplies g by. */
  derivative(z: number): number;
}

/**
 * The plain-JS evaluator of a forward activation, compiled from the same expression strings the
 * kernels run (float64 arithmetic; kernels round to float32).
 *
 * @example
 * activationFormulas('elu', { alpha: 2 }).value(-1); // 2·(e⁻¹ − 1)
 */
export function activationFormulas(forward: ForwardLike, params?: Params): ActivationFormulas {
  const f: Forward = toForward(forward, params, 'activationFormulas');
  const value = compileLowered(lowerForward(f), f.entry.name);
  const derivative = compileLowered(
    { expr: f.entry.derivative, names: [OPERAND_NAMES.z], params: f.params },
    f.entry.name,
  );
  return { value: (z) => value(z), derivative: (z) => derivative(z) };
}

/** Options of `ruleFormula`. */
export interface RuleFormulaOptions {
  /** Parameters of the rule. */
  readonly params?: Params;
  /** The forward activation, needed by rules that read φ' (`tied`, `support`). */
  readonly forward?: ForwardLike;
}

/**
 * The plain-JS evaluator of a table rule given by an expression: `(z, g = 1, draw = 0)` → the
 * gradient passed down, where `draw` is the rule's random input (u for jamming, n for noise). With
 * g = 1 a factor rule gives ψ(z). The reduction transforms and function rules have no scalar formula.
 *
 * @example
 * ruleFormula('triangular', { params: { w: 2 } })(0.5); // 0.75
 */
export function ruleFormula(
  rule: RuleLike,
  options: RuleFormulaOptions = {},
): (z: number, g?: number, draw?: number) => number {
  checkOptions(options, { params: true, forward: true }, 'ruleFormula');
  const r = toRule(rule, options.params, 'ruleFormula');
  if (r.kind !== 'table')
    throw new ArgumentError(`ruleFormula: rule '${r.name}' is a ${r.kind} rule; expected a table rule`);
  const forward =
    options.forward === undefined ? undefined : toForward(options.forward, undefined, 'ruleFormula');
  const lowered = lowerRule(r, forward, 'ruleFormula');
  const fn = compileLowered(lowered, r.name);
  return (z, g = 1, draw = 0) =>
    fn(...lowered.operands.map((o) => (o === 'grad' ? g : o === 'z' ? z : draw)));
}
