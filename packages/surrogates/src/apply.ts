import {
  ArgumentError,
  Rng,
  ShapeError,
  Tensor,
  checkOptions,
  formatShape,
  mapExpr,
  rand,
  randn,
  tidy,
} from '@fbt/tensor';
import type { Forward } from './forward';
import { lowerRule, type Lowered } from './lower';
import type { RuleOperand } from './operands';
import { REDUCTIONS } from './reductions';
import type { FunctionRule, Rule, TableRule } from './rule';

/** Runs a lowered expression as one `mapExpr` kernel on `inputs` (in the order of `lowered.names`). */
export function runLowered(lowered: Lowered, inputs: readonly Tensor[]): Tensor {
  const named: Record<string, Tensor> = {};
  lowered.names.forEach((name, i) => (named[name] = inputs[i]!));
  return mapExpr(lowered.expr, named, lowered.params);
}

/** What applying a rule needs besides the rule. */
export interface RuleInputs {
  /** The upstream gradient g (z's shape). */
  readonly grad: Tensor;
  /** The pre-activation z. */
  readonly z: Tensor;
  /** The forward activation (needed by rules that read φ'). */
  readonly forward: Forward | undefined;
  /** The generator for the rule's draws. */
  readonly rng: Rng;
  /** Names the caller in error messages. */
  readonly context: string;
}

function applyTable(rule: TableRule, grad: Tensor, inputs: RuleInputs): Tensor {
  const { form } = rule.entry;
  if (form.kind === 'reduction') return REDUCTIONS[form.reduction](grad, rule.params);
  const lowered = lowerRule(rule, inputs.forward, inputs.context);
  const { z, rng } = inputs;
  const values: Record<RuleOperand, () => Tensor> = {
    grad: () => grad,
    z: () => z,
    uniform: () => rand(z.shape, rng),
    normal: () => randn(z.shape, rng),
  };
  return runLowered(
    lowered,
    lowered.operands.map((o) => values[o]()),
  );
}

function applyFunction(rule: FunctionRule, grad: Tensor, inputs: RuleInputs): Tensor {
  const out = rule.fn(inputs.z, grad, inputs.rng);
  if (
    !(out instanceof Tensor) ||
    out.shape.length !== grad.shape.length ||
    out.shape.some((d, i) => d !== grad.shape[i])
  ) {
    const got = out instanceof Tensor ? `a tensor of shape ${formatShape(out.shape)}` : String(out);
    throw new ShapeError(
      `${inputs.context}: rule '${rule.name}' returned ${got}; expected a tensor of shape ${formatShape(grad.shape)}`,
    );
  }
  return out;
}

const INPUT_KEYS = { grad: true, z: true, forward: true, rng: true, context: true } as const;

/** Refuses `inputs` lacking `grad`, `z` or `rng` (or holding an unknown key), naming the rule. */
function assertInputs(rule: Rule, inputs: RuleInputs): void {
  const context = `applyRule (rule '${rule.name}')`;
  checkOptions(inputs, INPUT_KEYS, context);
  for (const key of ['grad', 'z'] as const) {
    if (!(inputs[key] instanceof Tensor))
      throw new ArgumentError(`${context}: inputs.${key} is ${String(inputs[key])}; expected a Tensor`);
  }
  if (!(inputs.rng instanceof Rng))
    throw new ArgumentError(`${context}: inputs.rng is ${String(inputs.rng)}; expected an Rng`);
}

/**
 * The gradient a rule passes down for upstream gradient `grad` at pre-activation `z`, computed with
 * tensor ops on the active backend (expression rules as one `mapExpr` kernel each). Random draws
 * come from `inputs.rng`, in step order, one value per element. Intermediates are disposed. A
 * missing `grad`, `z` or `rng` throws an `ArgumentError` naming the rule and the argument.
 */
export function applyRule(rule: Rule, inputs: RuleInputs): Tensor {
  assertInputs(rule, inputs);
  return tidy(() => {
    const steps = rule.kind === 'compose' ? rule.steps : [rule];
    let grad = inputs.grad;
    for (const step of steps)
      grad = step.kind === 'table' ? applyTable(step, grad, inputs) : applyFunction(step, grad, inputs);
    return grad;
  });
}
