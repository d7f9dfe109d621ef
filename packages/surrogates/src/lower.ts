import { ArgumentError } from '@fbt/tensor';
import { substituteName } from './expr';
import type { Forward } from './forward';
import { DERIVATIVE_NAME, OPERAND_NAMES, ruleOperands, type RuleOperand } from './operands';
import type { TableRule } from './rule';

/** One `mapExpr` call: the expression, its inputs' names in order, and its parameters. */
export interface Lowered {
  /** The expression over `names` and the keys of `params`. */
  readonly expr: string;
  /** Input names, in kernel input order. */
  readonly names: readonly string[];
  /** Parameter values. */
  readonly params: Readonly<Record<string, number>>;
}

/** A rule's `mapExpr` call, with what each of its inputs reads (`names[i]` names `operands[i]`). */
export interface LoweredRule extends Lowered {
  /** The kernel's inputs, in order: g, z, then the rule's draw when it has one. */
  readonly operands: readonly RuleOperand[];
}

/** Prefix given to the forward's parameters inside a rule's expression, so names never clash. */
const FORWARD_PARAM_PREFIX = 'phi_';

/** The forward activation φ(z) as a `mapExpr` call over `z`. */
export function lowerForward(forward: Forward): Lowered {
  return { expr: forward.entry.expr, names: [OPERAND_NAMES.z], params: forward.params };
}

/** True when the rule's ψ reads the forward's derivative (`tied`, `support`). */
export function usesDerivative(rule: TableRule): boolean {
  return (
    rule.entry.form.kind === 'factor' && new RegExp(`\\b${DERIVATIVE_NAME}\\b`).test(rule.entry.form.psi)
  );
}

/**
 * The gradient a table rule passes down as one `mapExpr` call. The reduction transforms have none:
 * callers route them to `REDUCTIONS` first, and get an `ArgumentError` naming `context` here.
 * Inputs: `operands` (g, z, then the draw `u` or `n` when the rule has one), which every caller feeds.
 * Factor rules become `g * (ψ)`, with `dphi` replaced by the forward's derivative, whose parameters
 * are renamed `phi_<name>`.
 */
export function lowerRule(rule: TableRule, forward: Forward | undefined, context: string): LoweredRule {
  const { form, draw } = rule.entry;
  if (form.kind === 'reduction') {
    throw new ArgumentError(
      `${context}: rule '${rule.name}' is a reduction over the whole gradient; it has no per-element formula`,
    );
  }
  const operands = ruleOperands(draw);
  const names = operands.map((o) => OPERAND_NAMES[o]);
  const g = OPERAND_NAMES.grad;
  if (form.kind === 'map') return { expr: form.grad, names, operands, params: rule.params };
  if (!usesDerivative(rule)) return { expr: `${g} * (${form.psi})`, names, operands, params: rule.params };
  if (forward === undefined) {
    throw new ArgumentError(
      `${context}: rule '${rule.name}' uses the forward activation's derivative; give the forward activation`,
    );
  }
  const params: Record<string, number> = { ...rule.params };
  let derivative = forward.entry.derivative;
  for (const [key, value] of Object.entries(forward.params)) {
    derivative = substituteName(derivative, key, FORWARD_PARAM_PREFIX + key);
    params[FORWARD_PARAM_PREFIX + key] = value;
  }
  const psi = substituteName(form.psi, DERIVATIVE_NAME, derivative);
  return { expr: `${g} * (${psi})`, names, operands, params };
}
