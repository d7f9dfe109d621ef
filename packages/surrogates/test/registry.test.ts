import { gradCheck } from '@fbt/autograd';
import { ArgumentError, neg, tensor } from '@fbt/tensor';
import { describe, expect, it } from 'vitest';
import {
  ACTIVATIONS,
  RULES,
  activation,
  activationFormulas,
  compose,
  describeActivations,
  describeRules,
  register,
  registerActivation,
  rule,
  ruleFormula,
  sample,
} from '../src';
import { expectClose, forwardValues, gradValues } from './helpers';

describe('register', () => {
  it('stores a preset under a new name, usable everywhere a name is', () => {
    register('wideRect', rule('rectangular', { a: -2, b: 2 }));
    expect(gradValues(activation('heaviside', 'wideRect'), [-2.5, -2, 1.9, 2.1])).toEqual([0, 1, 1, 0]);
    expect(Array.from(sample('wideRect', [0, 3]))).toEqual([1, 0]);
    const row = describeRules().find((r) => r.name === 'wideRect');
    expect(row).toMatchObject({ family: 'user', expression: null });
  });

  it('stores a function or a composition under a new name', () => {
    register('negated', (_z, g) => neg(g));
    expect(gradValues(activation('sign', 'negated'), [1, 2], [1, 3])).toEqual([-1, -3]);
    register('rectNoise', compose('rectangular', 'noise'));
    expect(describeRules().find((r) => r.name === 'rectNoise')?.doc).toBe(
      'Registered compose(rectangular, noise).',
    );
  });

  it('adds a new formula that runs through mapExpr and lists in the docs', () => {
    register('gauss', {
      form: { kind: 'factor', psi: 'exp(-z * z / (2 * s * s))' },
      params: [{ name: 's', default: 1, min: 0, exclusiveMin: true, doc: 'width' }],
      latex: String.raw`e^{-z^2/2s^2}`,
      doc: 'Gaussian window.',
    });
    const expected = [1, Math.exp(-0.5), Math.exp(-2)];
    expectClose(gradValues(activation('heaviside', 'gauss'), [0, 1, -2]), expected, 'gauss kernel');
    const gauss = ruleFormula('gauss');
    expectClose(
      [0, 1, -2].map((z) => gauss(z)),
      expected,
      'gauss evaluator',
    );
    expectClose(gradValues(activation('heaviside', 'gauss', { s: 2 }), [2]), [Math.exp(-0.5)], 'gauss s=2');
    expect(() => activation('heaviside', 'gauss', { s: 0 })).toThrow(/s=0 is out of range/);
    expect(describeRules().find((r) => r.name === 'gauss')).toMatchObject({
      expression: 'exp(-z * z / (2 * s * s))',
      params: [{ name: 's', default: 1, range: '(0, ∞)', doc: 'width' }],
    });
  });

  it('feeds a map rule its uniform draw u on every path (kernel, sample, ruleFormula)', () => {
    register('uniformScale', { form: { kind: 'map', grad: 'g * u' }, draw: 'uniform' });
    expect(ruleFormula('uniformScale')(0.3, 2, 0.25)).toBe(0.5);
    const drawn = Array.from(sample('uniformScale', [0, 0, 0], { seed: 3 }));
    expect(new Set(drawn).size).toBe(3);
    for (const v of drawn) expect(v >= 0 && v < 1).toBe(true);
    for (const v of gradValues(activation('heaviside', 'uniformScale'), [0.1, -0.2]))
      expect(v >= 0 && v < 1).toBe(true);
  });

  it('lets a registered factor rule read the forward derivative through dphi', () => {
    register('halfTied', { form: { kind: 'factor', psi: '0.5 * dphi' } });
    expectClose(
      gradValues(activation('elu', 'halfTied', { forward: { alpha: 2 } }), [-1]),
      [Math.exp(-1)],
      'half elu',
    );
  });

  it('refuses taken names, bad expressions and bad definitions', () => {
    expect(() => register('rectangular', rule('constant'))).toThrow(/name 'rectangular' is already taken/);
    expect(() => register('ste', rule('constant'))).toThrow(/name 'ste' is already taken/);
    expect(() => register('bad1', { form: { kind: 'factor', psi: 'z * q' } })).toThrow(
      /register\('bad1'\): unknown identifier.*'q'/,
    );
    expect(() => register('bad2', { form: { kind: 'factor', psi: 'Math.exp(z)' } })).toThrow(ArgumentError);
    expect(() => register('bad3', { form: { kind: 'map', grad: 'g * u' } })).toThrow(
      /unknown identifier.*'u'/,
    );
    expect(() => register('bad4', { form: { kind: 'factor', psi: 'u * n' }, draw: 'normal' })).toThrow(
      ArgumentError,
    );
    expect(() => register('bad6', { form: { kind: 'map', grad: 'g * z' }, draw: 'uniform' })).toThrow(
      /^register\('bad6'\): draw 'uniform' gives the formula a random input 'u' that 'g \* z' never reads; read 'u' or drop draw$/,
    );
    expect(() =>
      register('bad5', {
        form: { kind: 'factor', psi: 'z * k' },
        params: [{ name: 'k', default: -1, min: 0, doc: 'k' }],
      }),
    ).toThrow(/k=-1 is out of range/);
  });
});

describe('registerActivation', () => {
  it('adds a forward activation with its derivative, tied passes gradCheck', () => {
    registerActivation('softsign', {
      expr: 'z / (1 + abs(z))',
      derivative: '1 / pow(1 + abs(z), 2)',
      latex: String.raw`\frac{z}{1+|z|}`,
    });
    expect(forwardValues(activation('softsign'), [1, -3])).toEqual([0.5, -0.75]);
    expect(gradValues(activation('softsign'), [1, -3])).toEqual([0.25, 0.0625]);
    expect(activationFormulas('softsign').derivative(1)).toBe(0.25);
    expect(gradCheck((z) => activation('softsign')(z), [tensor([-1.5, -0.2, 0.4, 2])]).ok).toBe(true);
    expect(() => registerActivation('relu', { expr: 'z', derivative: '1' })).toThrow(/already taken/);
    expect(() => registerActivation('broken', { expr: 'z +', derivative: '1' })).toThrow(ArgumentError);
  });
});

describe('describe*', () => {
  it('returns one row per table entry with LaTeX, params and defaults', () => {
    const rows = describeRules();
    for (const entry of RULES) {
      const row = rows.find((r) => r.name === entry.name)!;
      expect(row.latex.length, entry.name).toBeGreaterThan(0);
      expect(row.params.map((p) => [p.name, p.default])).toEqual(
        entry.params.map((p) => [p.name, p.default]),
      );
    }
    expect(rows.find((r) => r.name === 'rectangular')).toMatchObject({
      family: 'paper',
      expression: '(z >= a && z <= b ? 1 : 0)',
      params: [
        { name: 'a', default: -0.5, range: '(-∞, ∞)' },
        { name: 'b', default: 0.5, range: '(-∞, ∞)' },
      ],
    });
    expect(rows.find((r) => r.name === 'fullJam')?.draw).toBe('uniform');
    expect(rows.find((r) => r.name === 'clipNorm')?.expression).toBeNull();
    const acts = describeActivations();
    for (const entry of ACTIVATIONS) {
      const row = acts.find((r) => r.name === entry.name)!;
      expect(row.latex.length * row.derivativeLatex.length, entry.name).toBeGreaterThan(0);
    }
    expect(acts.find((r) => r.name === 'staircase')?.params).toEqual([
      {
        name: 'levels',
        default: 4,
        range: 'integer in [2, ∞)',
        doc: 'number of output values (2 = a step at ½)',
      },
    ]);
  });
});

describe('sample and the evaluators', () => {
  it('returns ψ over a grid as a Float32Array', () => {
    const out = sample('triangular', [-1, -0.5, 0, 0.5, 1]);
    expect(out).toBeInstanceOf(Float32Array);
    expect(Array.from(out)).toEqual([0, 0.5, 1, 0.5, 0]);
    expect(Array.from(sample('triangular', new Float32Array([0.5]), { params: { w: 2 } }))).toEqual([0.75]);
  });

  it('needs the forward for rules that read φ′', () => {
    expect(() => sample('tied', [0])).toThrow(/rule 'tied' uses the forward activation's derivative/);
    expect(Array.from(sample('support', [-1, 1], { forward: 'relu' }))).toEqual([0, 1]);
  });

  it('refuses bad grids and rules without a per-element formula', () => {
    expect(() => sample('tied', 'abc' as never)).toThrow(/zs is abc; expected a Float32Array/);
    expect(() => ruleFormula('clipNorm')).toThrow(/reduction over the whole gradient/);
    expect(() => ruleFormula((_z, g) => g)).toThrow(/is a function rule; expected a table rule/);
  });
});
