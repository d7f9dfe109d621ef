import { describe, expect, it } from 'vitest';
import { add, addInPlace, linspace, mean, mul, square, sub, tidy, zeros } from '@fbt/tensor';
import { backward, zeroGrad } from '../src';

// The README's example: fit y = 2x + 1 by gradient descent with backward and in-place updates.
describe('README example', () => {
  it('fits y = 2x + 1', () => {
    const x = linspace(-1, 1, 32);
    const y = add(mul(x, 2), 1);
    const w = zeros([1]);
    const b = zeros([1]);
    w.requiresGrad = true;
    b.requiresGrad = true;
    let loss = Infinity;
    for (let step = 0; step < 100; step++) {
      loss = tidy(() => {
        const l = mean(square(sub(add(mul(x, w), b), y)));
        backward(l);
        return l.item();
      });
      addInPlace(w, w.grad!, -0.5);
      addInPlace(b, b.grad!, -0.5);
      zeroGrad([w, b]);
    }
    expect(w.item()).toBeCloseTo(2, 4);
    expect(b.item()).toBeCloseTo(1, 4);
    expect(loss).toBeLessThan(1e-8);
  });
});
