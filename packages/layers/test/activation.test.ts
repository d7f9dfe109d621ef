import { describe, expect, it } from 'vitest';
import { backward } from '@fbt/autograd';
import { sum, tensor, type Tensor } from '@fbt/tensor';
import { withRule } from '@fbt/surrogates';
import { Activation, Sequential } from '../src';
import { values } from './helpers';

/** dL/dz for L = Σ act(z) at z, computed through the module. */
function inputGrad(run: (z: Tensor) => Tensor, at: number[]): number[] {
  const z = tensor(at);
  z.requiresGrad = true;
  backward(sum(run(z)));
  return values(z.grad!);
}

describe('Activation', () => {
  const zs = [-2, -0.3, 0, 0.7];

  it('computes φ in the forward and its rule in the backward', () => {
    const act = new Activation('heaviside', 'rectangular', { a: -1, b: 1 });
    expect(act.name).toBe('heaviside');
    expect(values(act.call(tensor(zs)))).toEqual([0, 0, 1, 1]);
    expect(inputGrad((z) => act.call(z), zs)).toEqual([0, 1, 1, 1]);
    const tied = new Activation('tanh');
    inputGrad((z) => tied.call(z), zs).forEach((g, i) =>
      expect(g).toBeCloseTo(1 - Math.tanh(zs[i]!) ** 2, 6),
    );
  });

  it('is picked by name in a withRule scope', () => {
    const model = new Sequential(
      new Activation('heaviside', 'constant', undefined, { name: 'first' }),
      new Activation('identity', undefined, undefined, { name: 'second' }),
    );
    expect(inputGrad((z) => model.call(z), zs)).toEqual([1, 1, 1, 1]);
    expect(inputGrad((z) => withRule('rectangular', () => model.call(z), 'first'), zs)).toEqual([0, 1, 1, 0]);
    expect(inputGrad((z) => withRule('rectangular', () => model.call(z), 'other'), zs)).toEqual([1, 1, 1, 1]);
  });

  it('rejects unknown activations and rules', () => {
    expect(() => new Activation('nope')).toThrow(/unknown activation 'nope'/);
    expect(() => new Activation('relu', 'nope')).toThrow(/unknown backward rule 'nope'/);
  });
});
