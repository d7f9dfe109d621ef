import { backward } from '@fbt/autograd';
import { tensor, tidy } from '@fbt/tensor';
import { describe, expect, it } from 'vitest';
import { activation, rule, withRule } from '../src';
import { gradValues } from './helpers';

const Z = [-1, -0.3, 0, 0.3, 1];
const RECT = [0, 1, 1, 1, 0];
const ZERO = [0, 0, 0, 0, 0];

describe('withRule', () => {
  const step = activation('heaviside');

  it('applies inside the scope and not outside', () => {
    expect(withRule('rectangular', () => gradValues(step, Z))).toEqual(RECT);
    expect(gradValues(step, Z)).toEqual(ZERO);
  });

  it('binds the rule at forward time: a backward after the scope still uses it', () => {
    tidy(() => {
      const z = tensor(Z);
      z.requiresGrad = true;
      const y = withRule('rectangular', () => step(z));
      backward(y, { grad: tensor([1, 1, 1, 1, 1]) });
      expect(Array.from(z.grad!.dataSync())).toEqual(RECT);
    });
  });

  it('does not touch a forward that ran before the scope, even if its backward runs inside', () => {
    tidy(() => {
      const z = tensor(Z);
      z.requiresGrad = true;
      const y = step(z);
      withRule('rectangular', () => backward(y, { grad: tensor([1, 1, 1, 1, 1]) }));
      expect(Array.from(z.grad!.dataSync())).toEqual(ZERO);
    });
  });

  it('selects by activation name, forward name, RegExp or predicate', () => {
    const hidden = activation('heaviside', 'tied', undefined, { name: 'hidden1' });
    const out = activation('sign', 'tied', undefined, { name: 'out' });
    const both = (): number[][] => [gradValues(hidden, Z), gradValues(out, Z)];
    expect(withRule('rectangular', both, 'hidden1')).toEqual([RECT, ZERO]);
    expect(withRule('rectangular', both, 'sign')).toEqual([ZERO, RECT]);
    expect(withRule('rectangular', both, /^hid/)).toEqual([RECT, ZERO]);
    expect(withRule('rectangular', both, (info) => info.forward === 'sign')).toEqual([ZERO, RECT]);
    expect(withRule('rectangular', both)).toEqual([RECT, RECT]);
  });

  it('nests: the innermost matching scope wins', () => {
    const result = withRule(rule('constant', { c: 2 }), () =>
      withRule('rectangular', () => [gradValues(step, Z), gradValues(activation('sign'), Z)], 'sign'),
    );
    expect(result).toEqual([[2, 2, 2, 2, 2], RECT]);
  });

  it('ends the scope when fn throws', () => {
    expect(() =>
      withRule('rectangular', () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(gradValues(step, Z)).toEqual(ZERO);
  });

  it('refuses an async fn, an unknown rule and a bad selector', () => {
    expect(() => withRule('rectangular', async () => 1)).toThrow(/returned a Promise/);
    expect(() => withRule('rectangle', () => 1)).toThrow(/unknown backward rule 'rectangle'/);
    expect(() => withRule('rectangular', () => 1, 5 as never)).toThrow(
      /selector 5 is not a string, RegExp or function/,
    );
  });

  it('accepts user-function rules', () => {
    expect(
      withRule(
        (_z, g) => g,
        () => gradValues(step, Z),
      ),
    ).toEqual([1, 1, 1, 1, 1]);
  });
});
