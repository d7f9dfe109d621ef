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

/** φ'(z) of `forward` with its parameters renamed `phi_<name>`, and their values under those names. */
function prefixedDerivative(forward: Forward): { tree: FormulaTree; params: Record<string, number> } {
  const { entry } = forward;
  let tree = parseFormula(
    entry.derivative,
    [OPERAND_NAMES.z],
    entry.params.map((p) => p.name),
    entry.name,
  );
  const params: Record<string, number> = {};
  for (const [key, value] of Object.entries(forward.params)) {
    tree = renameName(tree, key, FORWARD_PARAM_PREFIX + key);
    params[FORWARD_PARAM_PREFIX + key] = value;
  }
  return { tree, params };
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
  let psi = parseFormula(
    form.psi,
    formulaNames(form, draw),
    rule.entry.params.map((p) => p.name),
    context,
  );
  const params: Record<string, number> = { ...rule.params };
  if (mentionsName(psi, DERIVATIVE_NAME)) {
    if (forward === undefined) {
      throw new ArgumentError(
        `${context}: rule '${rule.name}' uses the forward activation's derivative; give the forward activation`,
      );
    }
    const derivative = prefixedDerivative(forward);
    psi = substituteName(psi, DERIVATIVE_NAME, derivative.tree);
    Object.assign(params, derivative.params);
  }
  const expr = printFormula(withInputNames(substituteName(FACTOR, PSI, psi), names));
  return { expr, names, operands, params };
}
