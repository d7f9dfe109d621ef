import { backward, gradCheck } from '@fbt/autograd';
import {
  ArgumentError,
  DTypeError,
  FbtError,
  Rng,
  ShapeError,
  matmul,
  mul,
  rand,
  sum,
  tensor,
  tidy,
} from '@fbt/tensor';
import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, activation, compose, forward, rule } from '../src';
import { expectClose, forwardValues, gradValues } from './helpers';

/** Away from every kink and jump of the table (0, ±1, 6, and the staircase's 1/6, 1/2, 5/6) by ≫ 1e-3. */
const SMOOTH_POINTS = [-2.3, -0.7, -0.2, 0.3, 0.7, 1.7, 6.4];

describe('tied backward', () => {
  for (const { name } of ACTIVATIONS) {
    it(`${name}: passes gradCheck against finite differences`, () => {
      const act = activation(name);
      const result = gradCheck((z) => act(z), [tensor(SMOOTH_POINTS)]);
      expect(result.ok, JSON.stringify(result.worst)).toBe(true);
    });
  }

  it('is the default when no backward rule is given', () => {
    expect(activation('tanh').rule).toEqual(rule('tied'));
  });

  it('gives exactly zero gradient through a Heaviside layer to the weights below it', () => {
    tidy(() => {
      const rng = new Rng(3);
      const x = rand([5, 4], rng);
      const w1 = rand([4, 8], rng);
      const w2 = rand([8, 1], rng);
      w1.requiresGrad = true;
      w2.requiresGrad = true;
      const hidden = activation('heaviside')(matmul(x, w1));
      backward(sum(matmul(hidden, w2)));
      expect(Array.from(w1.grad!.dataSync()).every((v) => v === 0)).toBe(true);
      expect(Array.from(w2.grad!.dataSync()).some((v) => v !== 0)).toBe(true);
    });
  });
});

describe('activation()', () => {
  it('pairs a Heaviside forward with a rectangular backward (flat params go to the rule)', () => {
    const act = activation('heaviside', 'rectangular', { a: -1, b: 1 });
    expect(forwardValues(act, [-2, -0.5, 0, 0.5])).toEqual([0, 0, 1, 1]);
    expect(gradValues(act, [-2, -1, 0, 1, 1.5], [1, 2, 3, 4, 5])).toEqual([0, 2, 3, 4, 0]);
  });

  it('routes flat params to the forward or the rule, and takes the split form for shared names', () => {
    const flat = activation('leakyRelu', 'triangular', { alpha: 0.5, w: 2 });
    expect(flat.forward.params).toEqual({ alpha: 0.5 });
    expect(flat.rule).toEqual(rule('triangular', { w: 2 }));
    const split = activation('elu', 'atan', { forward: { alpha: 2 }, backward: { alpha: 1 } });
    expect(split.forward.params).toEqual({ alpha: 2 });
    expect(forwardValues(split, [-1])[0]).toBeCloseTo(2 * (Math.exp(-1) - 1), 6);
    expect(gradValues(split, [0])).toEqual([0.5]);
    expect(() => activation('elu', 'atan', { alpha: 1 })).toThrow(/belongs to both.*forward: \{ alpha \}/);
  });

  it('accepts forward(...) and rule(...) objects', () => {
    const act = activation(forward('elu', { alpha: 3 }), rule('constant', { c: 2 }));
    expectClose(forwardValues(act, [-1]), [3 * (Math.exp(-1) - 1)], 'elu α=3');
    expect(gradValues(act, [-1, 5])).toEqual([2, 2]);
  });

  it('accepts a user function (z, g, rng) as the rule', () => {
    const doubled = activation('sign', (_z, g) => mul(g, 2));
    expect(gradValues(doubled, [-1, 0, 3], [1, -2, 0.5])).toEqual([2, -4, 1]);
    const seen: number[][] = [];
    const spy = activation('sign', (z, g) => {
      seen.push(Array.from(z.dataSync()));
      return g;
    });
    gradValues(spy, [-1, 2]);
    expect(seen).toEqual([[-1, 2]]);
  });

  it('rejects a user rule that returns the wrong shape', () => {
    const bad = activation('sign', () => tensor([1, 2, 3]));
    expect(() => gradValues(bad, [1, 2])).toThrow(ShapeError);
    expect(() => gradValues(bad, [1, 2])).toThrow(
      /returned a tensor of shape \[3\]; expected a tensor of shape \[2\]/,
    );
  });

  it('carries a name, defaulting to the forward name', () => {
    expect(activation('relu').name).toBe('relu');
    expect(activation('relu', 'tied', undefined, { name: 'hidden1' }).name).toBe('hidden1');
  });

  it('resolves aliases to the canonical entry', () => {
    expect(activation('sigmoid').forward.entry.name).toBe('logistic');
    expect(rule('ste')).toEqual(rule('constant'));
  });

  it('records nothing when z does not require a gradient', () => {
    tidy(() => {
      const z = tensor([1, -1]);
      const y = activation('relu')(z);
      expect(y.gradNode).toBeNull();
    });
  });
});

describe('errors', () => {
  it('lists the valid names for an unknown activation or rule', () => {
    expect(() => activation('relux')).toThrow(ArgumentError);
    expect(() => activation('relux')).toThrow(
      /unknown activation 'relux'; valid names: linear, relu, .*staircase/,
    );
    expect(() => activation('relu', 'rectangle')).toThrow(
      /unknown backward rule 'rectangle'; valid names: tied, .*swishSign/,
    );
    expect(() => rule('nope')).toThrow(FbtError);
  });

  it('names the parameter and its range for a bad value', () => {
    expect(() => activation('heaviside', 'triangular', { w: 0 })).toThrow(
      /triangular' parameter w=0 is out of range; expected \(0, ∞\)/,
    );
    expect(() => activation('staircase', 'tied', { levels: 2.5 })).toThrow(
      /levels=2.5 .* integer in \[2, ∞\)/,
    );
    expect(() => activation('relu', 'noise', { sigma: -1 })).toThrow(/sigma=-1 .* \[0, ∞\)/);
    expect(() => activation('relu', 'constant', { c: Number.NaN })).toThrow(/c=NaN is out of range/);
    expect(() => activation('heaviside', 'rectangular', { a: 1, b: -1 })).toThrow(
      /'rectangular' needs a < b; got a=1, b=-1/,
    );
  });

  it('lists the parameters for an unknown parameter name', () => {
    expect(() => activation('heaviside', 'rectangular', { c: 1 })).toThrow(
      /unknown parameter 'c'; forward parameters: none; backward parameters: a, b/,
    );
    expect(() => rule('triangular', { width: 1 })).toThrow(
      /'triangular' has no parameter 'width'; its parameters: w=1 \(0, ∞\)/,
    );
    expect(() => activation('relu', (_z, g) => g, { backward: { k: 1 } })).toThrow(
      /function rule takes no parameters/,
    );
  });

  it('rejects non-float32 and non-tensor input', () => {
    const act = activation('relu');
    expect(() => act(tensor(new Int32Array([1, 2])))).toThrow(DTypeError);
    expect(() => act([1, 2] as never)).toThrow(/input is 1,2; expected a Tensor/);
  });

  it('rejects something that is neither a name, a rule nor a function', () => {
    expect(() => activation('relu', 42 as never)).toThrow(/neither a name, a rule object nor a function/);
    expect(() => activation(7 as never)).toThrow(/neither a name nor a forward/);
  });
});

describe('compose()', () => {
  it('applies the steps in order', () => {
    const z = [0, 2];
    const g = [3, 4];
    const rectThenClip = activation('heaviside', compose('rectangular', 'clipNorm'));
    const clipThenRect = activation('heaviside', compose('clipNorm', 'rectangular'));
    expectClose(gradValues(rectThenClip, z, g), [1, 0], 'rect → clip');
    expectClose(gradValues(clipThenRect, z, g), [0.6, 0], 'clip → rect');
  });

  it('chains factors and flattens nested compositions', () => {
    const c = compose(compose('triangular', rule('scale', { s: 3 })), (_z, g) => mul(g, -1));
    expect(c.steps.map((s) => s.name)).toEqual(['triangular', 'scale', 'custom']);
    expect(c.name).toBe('triangular+scale+custom');
    expectClose(gradValues(activation('sign', c), [0.5, 2]), [-1.5, 0], 'compose');
  });

  it('needs at least one rule', () => {
    expect(() => compose()).toThrow(/compose: got no rules/);
  });
});

describe('split params', () => {
  it('rejects a null part instead of treating it as split', () => {
    expect(() => activation('relu', 'tied', { forward: null } as never)).toThrow(
      /unknown parameter 'forward'/,
    );
  });
});
