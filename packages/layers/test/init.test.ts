import { describe, expect, it } from 'vitest';
import { ArgumentError, Rng } from '@fbt/tensor';
import {
  fans,
  heNormal,
  kaimingUniform,
  torchDefaultBias,
  torchDefaultWeight,
  xavierNormal,
  xavierUniform,
} from '../src';
import { values } from './helpers';

function stats(xs: number[]): { min: number; max: number; mean: number; std: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
  return { min: Math.min(...xs), max: Math.max(...xs), mean, std: Math.sqrt(variance) };
}

describe('initialisers', () => {
  it('computes fans like PyTorch', () => {
    expect(fans([8, 3])).toEqual({ fanIn: 3, fanOut: 8 });
    expect(fans([16, 3, 5, 5])).toEqual({ fanIn: 75, fanOut: 400 });
    expect(() => fans([4])).toThrow(/rank 1; expected rank >= 2/);
  });

  it('uses bound 1/sqrt(fanIn) for the PyTorch default weight and bias', () => {
    const w = values(torchDefaultWeight([200, 25], new Rng(1)));
    const s = stats(w);
    expect(s.max).toBeLessThan(1 / 5);
    expect(s.min).toBeGreaterThanOrEqual(-1 / 5);
    expect(s.max).toBeGreaterThan(0.199);
    // Uniform on ±b has standard deviation b/√3.
    expect(s.std).toBeCloseTo(0.2 / Math.sqrt(3), 2);
    const b = stats(values(torchDefaultBias(5000, 16, new Rng(2))));
    expect(b.max).toBeLessThan(0.25);
    expect(b.min).toBeGreaterThanOrEqual(-0.25);
    expect(b.max).toBeGreaterThan(0.249);
  });

  it('matches the Kaiming, Xavier and He formulas', () => {
    const shape = [100, 50, 3, 3];
    // fanIn = 450, fanOut = 900.
    expect(stats(values(kaimingUniform(shape, new Rng(3)))).max).toBeLessThan(Math.sqrt(6 / 450));
    expect(stats(values(kaimingUniform(shape, new Rng(3)))).max).toBeGreaterThan(0.999 * Math.sqrt(6 / 450));
    const xu = stats(values(xavierUniform(shape, new Rng(4), 2)));
    expect(xu.max).toBeLessThan(2 * Math.sqrt(6 / 1350));
    expect(xu.max).toBeGreaterThan(0.999 * 2 * Math.sqrt(6 / 1350));
    const xn = stats(values(xavierNormal(shape, new Rng(5))));
    expect(xn.std / Math.sqrt(2 / 1350)).toBeCloseTo(1, 1);
    expect(Math.abs(xn.mean)).toBeLessThan(0.002);
    const he = stats(values(heNormal(shape, new Rng(6))));
    expect(he.std / Math.sqrt(2 / 450)).toBeCloseTo(1, 1);
  });

  it('is bit-identical for the same seed and different for another', () => {
    expect(values(xavierUniform([4, 4], new Rng(9)))).toEqual(values(xavierUniform([4, 4], new Rng(9))));
    expect(values(xavierUniform([4, 4], new Rng(9)))).not.toEqual(values(xavierUniform([4, 4], new Rng(10))));
  });

  it('rejects a zero fan-in', () => {
    expect(() => heNormal([4, 0], new Rng(1))).toThrow(ArgumentError);
    expect(() => heNormal([4, 0], new Rng(1))).toThrow(/heNormal: weight shape \[4, 0\] has fan-in 0/);
  });
});
