import type { RuleDraw, RuleForm } from './formulas/rules';

/**
 * What one input of a rule's kernel reads: the upstream gradient, the pre-activation, or the
 * rule's fresh random draw (`uniform` u ~ U[0,1), `normal` n ~ N(0,1), one value per element).
 */
export type RuleOperand = 'grad' | 'z' | RuleDraw;

/** The name each operand has inside a rule's formula. */
export const OPERAND_NAMES: Readonly<Record<RuleOperand, string>> = Object.freeze({
  grad: 'g',
  z: 'z',
  uniform: 'u',
  normal: 'n',
});

/** The name that stands for the forward's exact derivative φ'(z) in a factor rule's ψ. */
export const DERIVATIVE_NAME = 'dphi';

/**
 * The inputs of a rule's kernel, in kernel input order: g, z, then the draw when the rule has one.
 * `lowerRule` returns this list and `applyRule`, `sample` and `ruleFormula` feed it.
 */
export function ruleOperands(draw: RuleDraw | undefined): readonly RuleOperand[] {
  return draw === undefined ? ['grad', 'z'] : ['grad', 'z', draw];
}

/** The names a rule's formula may read: its operands (less g for a factor ψ), and `dphi` for φ'. */
export function formulaNames(form: RuleForm, draw: RuleDraw | undefined): string[] {
  const names = ruleOperands(draw).map((o) => OPERAND_NAMES[o]);
  return form.kind === 'factor' ? [...names.filter((n) => n !== OPERAND_NAMES.grad), DERIVATIVE_NAME] : names;
}
