import { manualSeed } from '@fbt/autograd';
import { Rng } from '@fbt/tensor';
import { describe, expect, it } from 'vitest';
import { activation, sample } from '../src';
import { gradValues } from './helpers';

const N = 100_000;

function grid(n: number, low: number, high: number): number[] {
  return Array.from({ length: n }, (_, i) => low + ((high - low) * (i + 0.5)) / n);
}

function mean(values: readonly number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}

describe('jamming rules', () => {
  const zs = grid(1000, -3, 3);

  for (const name of ['fullJam', 'positiveJam', 'rectangularJam']) {
    it(`${name}: the same seed gives identical gradients, the next backward fresh ones`, () => {
      const act = activation('heaviside', name);
      manualSeed(11);
      const first = gradValues(act, zs);
      const second = gradValues(act, zs);
      manualSeed(11);
      expect(gradValues(act, zs)).toEqual(first);
      expect(second).not.toEqual(first);
      manualSeed(12);
      expect(gradValues(act, zs)).not.toEqual(first);
    });
  }

  it('draws from the rng handed to backward, as sample() does with the same seed', () => {
    const act = activation('sign', 'fullJam');
    const viaBackward = gradValues(act, zs, undefined, new Rng(5));
    expect(viaBackward).toEqual(Array.from(sample('fullJam', zs, { seed: 5 })));
    expect(gradValues(act, zs, undefined, new Rng(5))).toEqual(viaBackward);
  });

  it('fullJam: ψ is uniform on [0, 1) with mean within 0.01 of 0.5 over 1e5 elements', () => {
    manualSeed(1);
    const psi = gradValues(activation('heaviside', 'fullJam'), grid(N, -10, 10));
    expect(psi.every((u) => u >= 0 && u < 1)).toBe(true);
    expect(Math.abs(mean(psi) - 0.5)).toBeLessThan(0.01);
    expect(Math.abs(mean(psi.map((u) => u * u)) - 1 / 3)).toBeLessThan(0.01);
  });

  it('fullJam multiplies the upstream gradient', () => {
    manualSeed(2);
    const psi = gradValues(activation('heaviside', 'fullJam'), [0, 0], [1, 0]);
    expect(psi[1]).toBe(0);
    expect(psi[0]).toBeGreaterThan(0);
  });

  it('positiveJam: exactly 0 where z < 0, mean 0.5 where z ≥ 0', () => {
    manualSeed(3);
    const z = grid(N, -1, 1);
    const psi = gradValues(activation('heaviside', 'positiveJam'), z);
    expect(psi.filter((_, i) => z[i]! < 0).every((v) => v === 0)).toBe(true);
    const kept = psi.filter((_, i) => z[i]! >= 0);
    expect(kept.length).toBe(N / 2);
    expect(Math.abs(mean(kept) - 0.5)).toBeLessThan(0.01);
    expect(gradValues(activation('heaviside', 'positiveJam'), [0], [1], new Rng(4))[0]).toBeGreaterThan(0);
  });

  it('rectangularJam: mean 0.5 inside [a, b], exactly 0 outside', () => {
    manualSeed(4);
    const z = grid(N, -10, 10);
    const psi = gradValues(activation('heaviside', 'rectangularJam'), z);
    expect(psi.filter((_, i) => Math.abs(z[i]!) > 5).every((v) => v === 0)).toBe(true);
    const inside = psi.filter((_, i) => Math.abs(z[i]!) <= 5);
    expect(Math.abs(mean(inside) - 0.5)).toBeLessThan(0.01);
  });

  it('noise: mean g and standard deviation σ over 1e5 elements', () => {
    manualSeed(5);
    const out = gradValues(
      activation('linear', 'noise', { sigma: 0.5 }),
      grid(N, -1, 1),
      new Array<number>(N).fill(2),
    );
    const m = mean(out);
    const sd = Math.sqrt(mean(out.map((v) => (v - m) ** 2)));
    expect(Math.abs(m - 2)).toBeLessThan(0.01);
    expect(Math.abs(sd - 0.5)).toBeLessThan(0.01);
  });

  it('sample() is reproducible per seed', () => {
    expect(sample('rectangularJam', zs, { seed: 9 })).toEqual(sample('rectangularJam', zs, { seed: 9 }));
    expect(sample('rectangularJam', zs, { seed: 9 })).not.toEqual(sample('rectangularJam', zs, { seed: 10 }));
  });
});
