/**
 * @fbt/surrogates: forward activations paired with decoupled backward rules (surrogate gradients),
 * from one formula table that every backend compiles through `mapExpr`.
 * @packageDocumentation
 */
export { ACTIVATIONS, type ActivationEntry } from './formulas/activations';
export {
  RULES,
  type RuleEntry,
  type RuleForm,
  type RuleDraw,
  type RuleFamily,
  type RuleReduction,
} from './formulas/rules';
export { formatRange, type ParamSpec, type ParamConstraint } from './formulas/params';
export { compileExpr, erfApprox, type ScalarFormula } from './expr';
export { resolveParams, type Params } from './resolve-params';
export {
  forward,
  registerActivation,
  type Forward,
  type ForwardLike,
  type ActivationDefinition,
} from './forward';
export {
  rule,
  compose,
  register,
  type Rule,
  type RuleLike,
  type RuleFn,
  type TableRule,
  type FunctionRule,
  type ComposedRule,
  type RuleDefinition,
} from './rule';
export { lowerForward, lowerRule, type Lowered, type LoweredRule } from './lower';
export { DERIVATIVE_NAME, OPERAND_NAMES, ruleOperands, type RuleOperand } from './operands';
export { REDUCTIONS } from './reductions';
export { applyRule, type RuleInputs } from './apply';
export {
  activationFormulas,
  ruleFormula,
  type ActivationFormulas,
  type RuleFormulaOptions,
} from './evaluate';
export {
  activation,
  type ActivationFn,
  type ActivationParams,
  type SplitParams,
  type ActivationOptions,
} from './activation';
export { withRule, type Selector, type ActivationInfo } from './scope';
export { sample, type SampleOptions } from './sample';
export {
  describeRules,
  describeActivations,
  type RuleRow,
  type ActivationRow,
  type ParamRow,
} from './describe';
