import {
  ArgumentError,
  mentionsName,
  parseFormula,
  printFormula,
  renameName,
  substituteName,
  withInputNames,
  type FormulaTree,
} from '@fbt/tensor';
import type { ActivationEntry } from './formulas/activations';
import type { RuleEntry } from './formulas/rules';
import type { Forward } from './forward';
import { DERIVATIVE_NAME, OPERAND_NAMES, formulaNames, ruleOperands, type RuleOperand } from './operands';
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

/** Name of the factor ψ in `FACTOR`. */
const PSI = 'psi';

/** A factor rule's gradient: the upstream gradient times ψ. */
const FACTOR = parseFormula(`${OPERAND_NAMES.grad} * ${PSI}`, [OPERAND_NAMES.grad, PSI], [], 'lowerRule');

/** The forward activation φ(z) as a `mapExpr` call over `z`. */
export function lowerForward(forward: Forward): Lowered {
  return { expr: forward.entry.expr, names: [OPERAND_NAMES.z], params: forward.params };
}

/** φ'(z) of the activation `entry` over `z`, its parameters renamed `phi_<name>`. */
function prefixedDerivative(entry: ActivationEntry): FormulaTree {
  const names = entry.params.map((p) => p.name);
  return names.reduce(
    (tree, name) => renameName(tree, name, FORWARD_PARAM_PREFIX + name),
    parseFormula(entry.derivative, [OPERAND_NAMES.z], names, entry.name),
  );
}

/**
 * Printed factor-rule gradients per (rule entry, forward entry or null): the splice depends on the
 * formulas alone, not on parameter values, so each pair is rewritten once.
 */
const factorExprs = new WeakMap<RuleEntry, Map<ActivationEntry | null, string>>();

/**
 * `g * (ψ)` as text over the kernel inputs `names`, with φ' of `forward` (its parameters renamed)
 * spliced in for `dphi` when `forward` is given.
 */
function factorExpr(
  entry: RuleEntry,
  psi: FormulaTree,
  forward: ActivationEntry | null,
  names: readonly string[],
): string {
  let byForward = factorExprs.get(entry);
  if (byForward === undefined) {
    byForward = new Map();
    factorExprs.set(entry, byForward);
  }
  let expr = byForward.get(forward);
  if (expr === undefined) {
    const factor = forward === null ? psi : substituteName(psi, DERIVATIVE_NAME, prefixedDerivative(forward));
    expr = printFormula(withInputNames(substituteName(FACTOR, PSI, factor), names));
    byForward.set(forward, expr);
  }
  return expr;
}

/**
 * The gradient a table rule passes down as one `mapExpr` call. The reduction transforms have none:
 * callers route them to `REDUCTIONS` first, and get an `ArgumentError` naming `context` here.
 * Inputs: `operands` (g, z, then the draw `u` or `n` when the rule has one), which every caller feeds.
 * Factor rules become `g * (ψ)`, with `dphi` replaced by the forward's derivative, whose parameters
 * are renamed `phi_<name>`; the formulas are spliced as trees (`substituteName`), then printed.
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
  if (form.kind === 'map') return { expr: form.grad, names, operands, params: rule.params };
  const psi = parseFormula(
    form.psi,
    formulaNames(form, draw),
    rule.entry.params.map((p) => p.name),
    context,
  );
  if (!mentionsName(psi, DERIVATIVE_NAME)) {
    return { expr: factorExpr(rule.entry, psi, null, names), names, operands, params: rule.params };
  }
  if (forward === undefined) {
    throw new ArgumentError(
      `${context}: rule '${rule.name}' uses the forward activation's derivative; give the forward activation`,
    );
  }
  const params: Record<string, number> = { ...rule.params };
  for (const [key, value] of Object.entries(forward.params)) params[FORWARD_PARAM_PREFIX + key] = value;
  const expr = factorExpr(rule.entry, psi, forward.entry, names);
  return { expr, names, operands, params };
}
