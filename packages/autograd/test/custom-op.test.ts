import { describe, expect, it } from 'vitest';
import { abs, lessEqual, mul, rand, Rng, step, sum, tensor, type Tensor } from '@fbt/tensor';
import { backward, customOp, GradientError, manualSeed, noGrad, tapeRng } from '../src';
import { arr } from './helpers';

interface Window {
  readonly width: number;
}

/** Heaviside forward with a rectangular backward: ψ(z) = 1 where |z| <= width, else 0. */
const heaviside = customOp<Window>({
  name: 'heavisideRect',
  forward: ([z]) => ({ output: step(z!), saved: [abs(z!)] }),
  backward: ({ grad, saved, attrs }) => [mul(grad, lessEqual(saved[0]!, attrs.width))],
});

/** Heaviside forward with a "jamming" backward: ψ = u, u ~ U[0, 1) drawn from the backward's Rng. */
const jammed = customOp<Record<string, never>>({
  name: 'heavisideJam',
  forward: ([z]) => ({ output: step(z!) }),
  backward: ({ grad, rng }) => [mul(grad, rand(grad.shape, rng))],
});

function leaf(values: number[]): Tensor {
  const t = tensor(values);
  t.requiresGrad = true;
  return t;
}

describe('customOp', () => {
  it('uses the supplied backward instead of the derivative', () => {
    const z = leaf([-2, -0.5, 0, 0.5, 2]);
    const y = heaviside([z], { width: 1 });
    expect(arr(y)).toEqual([0, 0, 1, 1, 1]);
    backward(sum(mul(y, tensor([1, 2, 3, 4, 5]))));
    expect(arr(z.grad)).toEqual([0, 2, 3, 4, 0]);
  });

  it('records one node: the kernels inside forward are not recorded', () => {
    const z = leaf([1, -1]);
    let inner: Tensor | null = null;
    const op = customOp<null>({
      name: 'probe',
      forward: ([x]) => {
        inner = mul(x!, 2);
        return { output: mul(inner, 3) };
      },
      backward: ({ grad }) => [grad],
    });
    const y = op([z], null);
    expect(inner!.requiresGrad).toBe(false);
    expect(y.requiresGrad).toBe(true);
    backward(sum(y));
    expect(arr(z.grad)).toEqual([1, 1]);
  });

  it('captures attrs per call, so a later change of the caller state does not affect backward', () => {
    const state = { width: 1 };
    const z = leaf([0.5, 1.5]);
    const y = heaviside([z], { ...state });
    state.width = 2;
    backward(sum(y));
    expect(arr(z.grad)).toEqual([1, 0]);
  });

  it('records nothing under noGrad or when no input requires a gradient', () => {
    expect(noGrad(() => heaviside([leaf([1])], { width: 1 })).requiresGrad).toBe(false);
    expect(heaviside([tensor([1])], { width: 1 }).requiresGrad).toBe(false);
  });

  it('hands the tape Rng to the backward: same seed, same gradient; the next backward draws anew', () => {
    const run = (): number[] => {
      const z = leaf([0.1, -0.3, 0.7, 1.2]);
      backward(sum(jammed([z], {})));
      return arr(z.grad);
    };
    manualSeed(123);
    const first = run();
    const second = run();
    manualSeed(123);
    expect(run()).toEqual(first);
    expect(second).not.toEqual(first);
    for (const u of [...first, ...second]) expect(u >= 0 && u < 1).toBe(true);
    expect(tapeRng()).toBeInstanceOf(Rng);
  });

  it('uses the rng passed to backward instead of the tape one', () => {
    const run = (): number[] => {
      const z = leaf([0.1, -0.3]);
      backward(sum(jammed([z], {})), { rng: new Rng(7) });
      return arr(z.grad);
    };
    manualSeed(1);
    const a = run();
    manualSeed(2);
    expect(run()).toEqual(a);
    expect(a).toEqual(arr(rand([2], new Rng(7))));
  });

  it('rejects bad specs and bad backward results with clear errors', () => {
    expect(() => customOp({ name: '', forward: () => ({ output: tensor(1) }), backward: () => [] })).toThrow(
      /customOp: expected a spec/,
    );
    const identity = customOp<null>({
      name: 'leak',
      forward: ([x]) => ({ output: x! }),
      backward: ({ grad }) => [grad],
    });
    expect(() => identity([leaf([1])], null)).toThrow(/leak: forward returned one of its inputs/);
    expect(() => identity([1] as never, null)).toThrow(/leak: inputs must be an array of Tensors/);
    const tooMany = customOp<null>({
      name: 'tooMany',
      forward: ([x]) => ({ output: mul(x!, 1) }),
      backward: ({ grad }) => [grad, grad],
    });
    expect(() => backward(sum(tooMany([leaf([1])], null)))).toThrow(
      /backward of 'tooMany' returned 2 gradients; expected an array of 1/,
    );
    const badShape = customOp<null>({
      name: 'badShape',
      forward: ([x]) => ({ output: mul(x!, 1) }),
      backward: () => [tensor([1, 2, 3])],
    });
    expect(() => backward(sum(badShape([leaf([1, 2])], null)))).toThrow(GradientError);
    expect(() => backward(sum(badShape([leaf([1, 2])], null)))).toThrow(
      /shape \[3\] for input 0; expected shape \[2\]/,
    );
  });
});
