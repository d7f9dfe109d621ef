import { describe, expect, it } from 'vitest';
import { ArgumentError, mul, sum, tensor } from '@fbt/tensor';
import { backward, customOp, gradCheck } from '../src';

describe('unknown option keys', () => {
  it('backward names the key and the valid ones', () => {
    const w = tensor([1, 2]);
    w.requiresGrad = true;
    const loss = sum(mul(w, w));
    expect(() => backward(loss, { retain_graph: true } as never)).toThrow(ArgumentError);
    expect(() => backward(loss, { retain_graph: true } as never)).toThrow(
      "backward: unknown option 'retain_graph'; valid options: grad, retainGraph, rng",
    );
  });

  it('gradCheck names the key and the valid ones', () => {
    const a = tensor([1, 2]);
    expect(() => gradCheck((x) => mul(x, x), [a], { tol: 1e-3 } as never)).toThrow(
      "gradCheck: unknown option 'tol'; valid options: eps, atol, rtol, seed",
    );
  });

  it('customOp names a misspelt spec key', () => {
    const spec = { name: 'sq', forward: ([x]: never[]) => ({ output: x }), backward: () => [], saved: [] };
    expect(() => customOp(spec as never)).toThrow(
      "customOp('sq'): unknown option 'saved'; valid options: name, forward, backward",
    );
  });
});
