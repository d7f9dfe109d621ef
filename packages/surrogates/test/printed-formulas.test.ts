import { parseFormula, printFormula } from '@fbt/tensor';
import { describe, expect, it } from 'vitest';
import {
  DERIVATIVE_NAME,
  describeActivations,
  describeRules,
  forward,
  lowerRule,
  rule,
  ruleFormula,
  type TableRule,
} from '../src';

/**
 * The formulas as the docs print them ("Kernel expressions" in docs/reference/activations.md and
 * rules.md, generated from `describeActivations()` / `describeRules()`), byte for byte as they were
 * when `@fbt/surrogates` spliced formulas with regular expressions: the tree rewrites must print the
 * same text, parentheses around each substitution included.
 */
const ACTIVATION_TEXT: Readonly<Record<string, readonly [string, string]>> = {
  linear: ['z', '1'],
  relu: ['(z) < 0 ? 0 : ((z) >= 0 ? (z) : (z) + 1)', '(z) > 0 ? (1) : 0'],
  relu6: ['min(max(z, 0), 6)', '(z > 0 && z < 6 ? 1 : 0)'],
  leakyRelu: ['(z > 0 ? z : alpha * z)', '(z > 0 ? 1 : alpha)'],
  elu: ['(z > 0 ? z : alpha * (exp(z) - 1))', '(z > 0 ? 1 : alpha * exp(z))'],
  logistic: ['1 / (1 + exp(-(z)))', '(1) * exp(-abs((z))) / pow(1 + exp(-abs((z))), 2)'],
  tanh: ['tanh((z))', '(1) * (1 - (tanh((z))) * (tanh((z))))'],
  hardtanh: ['min(max(z, -1), 1)', '(z > -1 && z < 1 ? 1 : 0)'],
  softplus: ['max(z, 0) + log(1 + exp(-abs(z)))', '1 / (1 + exp(-z))'],
  silu: ['z / (1 + exp(-z))', '(1 / (1 + exp(-z))) * (1 + z * (1 - 1 / (1 + exp(-z))))'],
  gelu: [
    '0.5 * z * (1 + erf(z / sqrt(2)))',
    '0.5 * (1 + erf(z / sqrt(2))) + z * exp(-0.5 * z * z) / sqrt(2 * PI)',
  ],
  heaviside: ['(z) < 0 ? 0 : ((z) >= 0 ? 1 : (z))', '0'],
  sign: ['(z) < 0 ? -1 : ((z) >= 0 ? 1 : (z))', '0'],
  staircase: ['floor((levels - 1) * min(max(z, 0), 1) + 0.5) / (levels - 1)', '0'],
};

const RULE_TEXT: Readonly<Record<string, string>> = {
  tied: 'dphi',
  constant: 'c',
  rectangular: '(z >= a && z <= b ? 1 : 0)',
  triangular: 'max(0, 1 - abs(z) / w)',
  fullJam: 'u',
  positiveJam: '(z >= 0 ? u : 0)',
  rectangularJam: '(z >= a && z <= b ? u : 0)',
  support: '(abs(dphi) > 0 ? 1 : 0)',
  scale: 'g * s',
  noise: 'g + sigma * n',
  sigmoidSurrogate: 'alpha * exp(-abs(alpha * z)) / pow(1 + exp(-abs(alpha * z)), 2)',
  fastSigmoid: '1 / pow(1 + k * abs(z), 2)',
  atan: '(alpha / 2) / (1 + (PI * alpha * z / 2) * (PI * alpha * z / 2))',
  erf: 'alpha / sqrt(PI) * exp(-(alpha * z) * (alpha * z))',
  piecewiseQuadratic: 'max(0, alpha - alpha * alpha * abs(z))',
  clippedSte: '(abs(z) <= clip ? 1 : 0)',
  approxSign: '(abs(z) <= 1 ? 2 - 2 * abs(z) : 0)',
  swishSign:
    '2 * beta * (2 - beta * z * tanh(beta * z / 2)) * exp(-beta * abs(z)) / pow(1 + exp(-beta * abs(z)), 2)',
};

describe('printed formulas', () => {
  it('describeActivations prints every φ and φ′ as the docs show them', () => {
    const printed = Object.fromEntries(describeActivations().map((r) => [r.name, [r.expr, r.derivative]]));
    expect(printed).toEqual(ACTIVATION_TEXT);
  });

  it('describeRules prints every expression as the docs show it', () => {
    const printed = Object.fromEntries(
      describeRules().flatMap((r) => (r.expression === null ? [] : [[r.name, r.expression]])),
    );
    expect(printed).toEqual(RULE_TEXT);
  });

  it('every table formula prints back to its own text from its tree', () => {
    for (const row of describeActivations()) {
      const params = row.params.map((p) => p.name);
      for (const text of [row.expr, row.derivative])
        expect(printFormula(parseFormula(text, ['z'], params))).toBe(text);
    }
    for (const row of describeRules()) {
      if (row.expression === null) continue;
      const names = ['g', 'z', 'u', 'n', DERIVATIVE_NAME];
      const params = row.params.map((p) => p.name);
      expect(printFormula(parseFormula(row.expression, names, params))).toBe(row.expression);
    }
  });
});

describe('lowerRule splices trees', () => {
  it("replaces dphi by the forward's derivative in parentheses, its parameters renamed phi_<name>", () => {
    const lowered = lowerRule(rule('tied') as TableRule, forward('elu', { alpha: 2 }), 'test');
    expect(lowered.expr).toBe('g * (((z > 0 ? 1 : phi_alpha * exp(z))))');
    expect(lowered.names).toEqual(['g', 'z']);
    expect(lowered.params).toEqual({ phi_alpha: 2 });
    expect(ruleFormula('tied', { forward: forward('elu', { alpha: 2 }) })(-1, 3)).toBeCloseTo(
      3 * 2 * Math.exp(-1),
      12,
    );
  });

  it('keeps the rule parameters beside the renamed forward ones, and the draw input last', () => {
    const lowered = lowerRule(rule('support') as TableRule, forward('leakyRelu', { alpha: 0.1 }), 'test');
    expect(lowered.expr).toBe('g * ((abs(((z > 0 ? 1 : phi_alpha))) > 0 ? 1 : 0))');
    expect(lowered.params).toEqual({ phi_alpha: 0.1 });
    const jam = lowerRule(rule('rectangularJam', { a: -1, b: 2 }) as TableRule, undefined, 'test');
    expect(jam).toMatchObject({
      expr: 'g * ((z >= a && z <= b ? u : 0))',
      names: ['g', 'z', 'u'],
      params: { a: -1, b: 2 },
    });
  });

  it('leaves a factor rule without dphi as g * (ψ), needing no forward', () => {
    expect(lowerRule(rule('triangular', { w: 2 }) as TableRule, undefined, 'test').expr).toBe(
      'g * (max(0, 1 - abs(z) / w))',
    );
  });
});
