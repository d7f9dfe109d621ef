import { activationEntries } from './forward';
import { formatRange, type ParamSpec } from './formulas/params';
import type { RuleDraw, RuleFamily } from './formulas/rules';
import { isRule, ruleItems } from './rule';

/** One parameter as the docs show it. */
export interface ParamRow {
  /** Name. */
  readonly name: string;
  /** Default value. */
  readonly default: number;
  /** Allowed range, e.g. `(0, ∞)`. */
  readonly range: string;
  /** What it does. */
  readonly doc: string;
}

/** One backward rule as the docs and the reproduction app show it. */
export interface RuleRow {
  /** Registry name. */
  readonly name: string;
  /** Other names. */
  readonly aliases: readonly string[];
  /** Grouping. */
  readonly family: RuleFamily;
  /** Parameters. */
  readonly params: readonly ParamRow[];
  /** The formula in LaTeX (empty for a preset without one). */
  readonly latex: string;
  /** The `mapExpr` expression (ψ for factor rules), or null for reductions and presets. */
  readonly expression: string | null;
  /** The random input drawn per element and per backward, or null. */
  readonly draw: RuleDraw | null;
  /** One line of documentation. */
  readonly doc: string;
}

/** One forward activation as the docs show it. */
export interface ActivationRow {
  /** Registry name. */
  readonly name: string;
  /** Other names. */
  readonly aliases: readonly string[];
  /** Parameters. */
  readonly params: readonly ParamRow[];
  /** φ(z) in LaTeX. */
  readonly latex: string;
  /** φ'(z) in LaTeX. */
  readonly derivativeLatex: string;
  /** φ(z) in the expression language. */
  readonly expr: string;
  /** φ'(z) in the expression language. */
  readonly derivative: string;
  /** One line of documentation. */
  readonly doc: string;
}

function paramRows(params: readonly ParamSpec[]): ParamRow[] {
  return params.map((p) => ({ name: p.name, default: p.default, range: formatRange(p), doc: p.doc }));
}

/** The backward rules of the registry, table entries then registered ones, as rows for the docs. */
export function describeRules(): RuleRow[] {
  return ruleItems().map((item) => {
    if (isRule(item)) {
      const what =
        item.kind === 'compose'
          ? `compose(${item.steps.map((s) => s.name).join(', ')})`
          : `${item.kind} rule`;
      return {
        name: item.name,
        aliases: [],
        family: 'user',
        params: [],
        latex: '',
        expression: null,
        draw: null,
        doc: `Registered ${what}.`,
      };
    }
    const { form } = item;
    return {
      name: item.name,
      aliases: item.aliases,
      family: item.family,
      params: paramRows(item.params),
      latex: item.latex,
      expression: form.kind === 'factor' ? form.psi : form.kind === 'map' ? form.grad : null,
      draw: item.draw ?? null,
      doc: item.doc,
    };
  });
}

/** The forward activations of the registry as rows for the docs. */
export function describeActivations(): ActivationRow[] {
  return activationEntries().map((e) => ({
    name: e.name,
    aliases: e.aliases,
    params: paramRows(e.params),
    latex: e.latex,
    derivativeLatex: e.derivativeLatex,
    expr: e.expr,
    derivative: e.derivative,
    doc: e.doc,
  }));
}
