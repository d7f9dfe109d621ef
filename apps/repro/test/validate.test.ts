import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/errors';
import { validateUserExperiment } from '../src/experiments/validate';
import { checkRule } from '../src/train/preflight';
import { MLP_STUDY } from './fixtures';

const valid = MLP_STUDY;

function validate(value: unknown) {
  return validateUserExperiment(value, 'study.json', checkRule);
}

function errorOf(change: Record<string, unknown>): string {
  try {
    validate({ ...valid, ...change });
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('validateUserExperiment', () => {
  it('expands the forward × rule grid into configs', () => {
    const e = validate(valid);
    expect(e.name).toBe('my-study');
    expect(e.seeds).toEqual([0, 1]);
    expect(e.configs.map((c) => c.id)).toEqual([
      'logistic-tied',
      'logistic-rectangular_-1_1',
      'relu-tied',
      'relu-rectangular_-1_1',
    ]);
    expect(e.configs[1]!.settings).toMatchObject({
      forward: 'logistic',
      rule: { name: 'rectangular', params: { a: -1, b: 1 } },
      optimizer: { lr: 0.05, momentum: 0.9 },
      epochs: 3,
      batchSize: 32,
      probe: false,
    });
  });

  it('names the key, the value and what is expected', () => {
    expect(errorOf({ name: undefined })).toBe('study.json: "name" is missing; expected a non-empty string');
    expect(errorOf({ name: '../x' })).toMatch(/"name" is "..\/x"; expected letters, digits/);
    expect(errorOf({ optimizer: { name: 'sgd', lr: -1 } })).toBe(
      'study.json: "optimizer.lr" is -1; expected a positive number',
    );
    expect(errorOf({ optimizer: { name: 'rmsprop', lr: 1 } })).toMatch(
      /"optimizer.name" is "rmsprop"; expected one of sgd, adam$/,
    );
    expect(errorOf({ epochs: 1.5 })).toBe('study.json: "epochs" is 1.5; expected an integer from 1 to 10000');
    expect(errorOf({ seeds: [] })).toMatch(/"seeds" is \[\]; expected a non-empty array/);
    expect(errorOf({ seeds: [0, 0] })).toMatch(/expected distinct seeds/);
    expect(errorOf({ loss: 'hinge' })).toMatch(/"loss" is "hinge"; expected one of bce, mse, cross-entropy/);
    expect(errorOf({ forwards: ['swish'] })).toMatch(
      /"forwards\[0\]" is "swish"; expected one of logistic, relu/,
    );
    expect(errorOf({ dataset: { name: 'cifar' } })).toMatch(
      /"dataset.name" is "cifar"; expected one of ones, digits, mnist/,
    );
    expect(errorOf({ model: { kind: 'mlp', hidden: [0] } })).toMatch(
      /"model.hidden\[0\]" is 0; expected an integer from 1 to 1000000/,
    );
    expect(errorOf({ model: { kind: 'lenet5' } })).toMatch(/mnist or fashion-mnist for model "lenet5"/);
    expect(errorOf({ extra: 1 })).toMatch(/unknown key "extra"; expected one of name, description/);
    expect(errorOf({ probe: 'yes' })).toMatch(/"probe" is "yes"; expected true or false/);
  });

  it('checks rules and their parameters with @fbt/surrogates', () => {
    expect(errorOf({ rules: [{ name: 'wobbly' }] })).toMatch(/^study.json: "rules\[0\]": .*wobbly/);
    expect(errorOf({ rules: [{ name: 'rectangular', params: { a: 1, b: -1 } }] })).toMatch(
      /"rules\[0\]": .*a < b/,
    );
    expect(errorOf({ rules: [{ name: 'tied' }, { name: 'tied' }] })).toMatch(
      /lists config "logistic-tied" twice/,
    );
  });

  it('rejects a top level that is not an object', () => {
    expect(() => validate([1])).toThrow('study.json: "(top level)" is [1]; expected an object');
  });
});
