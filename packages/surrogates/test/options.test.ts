import { describe, expect, it } from 'vitest';
import { ArgumentError, Rng, tensor } from '@fbt/tensor';
import { activation, applyRule, register, registerActivation, rule, ruleFormula, sample } from '../src';

describe('applyRule names the rule and the missing argument', () => {
  const rect = rule('rectangular', { a: -1, b: 1 });
  const grad = tensor([1, 1]);
  const z = tensor([0, 2]);
  const rng = new Rng(0);

  it('without z', () => {
    const call = () => applyRule(rect, { grad, rng, forward: undefined, context: 'test' } as never);
    expect(call).toThrow(ArgumentError);
    expect(call).toThrow("applyRule (rule 'rectangular'): inputs.z is undefined; expected a Tensor");
  });

  it('without grad or rng', () => {
    expect(() => applyRule(rect, { z, rng, forward: undefined, context: 'test' } as never)).toThrow(
      "applyRule (rule 'rectangular'): inputs.grad is undefined; expected a Tensor",
    );
    expect(() => applyRule(rect, { grad, z, forward: undefined, context: 'test' } as never)).toThrow(
      "applyRule (rule 'rectangular'): inputs.rng is undefined; expected an Rng",
    );
  });

  it('with an unknown key', () => {
    expect(() => applyRule(rect, { grad, z, rng, forward: undefined, context: 't', x: z } as never)).toThrow(
      "applyRule (rule 'rectangular'): unknown option 'x'; valid options: grad, z, forward, rng, context",
    );
  });

  it('still applies the rule with every input', () => {
    const out = applyRule(rect, { grad, z, rng, forward: undefined, context: 'test' });
    expect(Array.from(out.dataSync())).toEqual([1, 0]);
  });
});

describe('unknown option keys', () => {
  it('sample, ruleFormula and activation refuse them', () => {
    expect(() => sample('rectangular', [0], { sed: 1 } as never)).toThrow(
      "sample: unknown option 'sed'; valid options: params, forward, seed",
    );
    expect(() => ruleFormula('triangular', { param: { w: 2 } } as never)).toThrow(
      "ruleFormula: unknown option 'param'; valid options: params, forward",
    );
    expect(() => activation('relu', 'tied', undefined, { label: 'x' } as never)).toThrow(
      "activation: unknown option 'label'; valid options: name",
    );
  });
});

describe('definitions refuse unknown keys', () => {
  it('register names the misspelt key', () => {
    const definition = { form: { kind: 'factor', psi: '1' }, docs: 'x' };
    expect(() => register('misspeltRule', definition as never)).toThrow(
      "register('misspeltRule'): unknown option 'docs'; valid options: form, draw, params, constraints, aliases, latex, doc",
    );
  });

  it('registerActivation names the misspelt key', () => {
    expect(() =>
      registerActivation('misspeltAct', { expr: 'z', derivative: '1', derivative_latex: '1' } as never),
    ).toThrow(
      "registerActivation('misspeltAct'): unknown option 'derivative_latex'; valid options: expr, derivative, params, constraints, aliases, latex, derivativeLatex, doc",
    );
  });
});
