import { describe, expect, it } from 'vitest';
import { cosTurns, portableLog, Rng, sinTurns } from '../src';

/** Distance between `x` and the next double away from zero. */
function ulp(x: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  view.setBigUint64(0, view.getBigUint64(0) + 1n);
  return view.getFloat64(0) - Math.abs(x);
}

describe('portable math (basic IEEE operations only)', () => {
  it('portableLog: exact values, special cases, and within 1 ulp of Math.log', () => {
    expect(portableLog(1)).toBe(0);
    expect(portableLog(2)).toBe(Math.LN2);
    expect(portableLog(0.5)).toBe(-Math.LN2);
    expect(portableLog(1024)).toBe(10 * Math.LN2);
    expect(portableLog(0)).toBe(-Infinity);
    expect(portableLog(Infinity)).toBe(Infinity);
    expect(portableLog(-1)).toBeNaN();
    expect(portableLog(NaN)).toBeNaN();
    expect(portableLog(5e-324)).toBeCloseTo(-744.4400719213812, 12); // the smallest subnormal
    const rng = new Rng(7);
    for (let i = 0; i < 20000; i++) {
      // uniforms in (0, 1] as Box–Muller uses them, and values spread over many binades
      const x = i % 2 === 0 ? 1 - rng.uniform() : Math.exp(80 * (rng.uniform() - 0.5));
      const reference = Math.log(x);
      if (reference !== 0) expect(Math.abs(portableLog(x) - reference)).toBeLessThanOrEqual(ulp(reference));
    }
  });

  it('cosTurns and sinTurns: exact quadrant values, periodicity, and within 2e-15 of Math.cos/sin', () => {
    expect(cosTurns(0)).toBe(1);
    expect(sinTurns(0)).toBe(0);
    expect(cosTurns(0.5)).toBe(-1);
    expect(sinTurns(0.25)).toBe(1);
    expect(sinTurns(0.75)).toBe(-1);
    expect(cosTurns(0.25)).toBe(0); // +0
    expect(sinTurns(0.5)).toBe(0);
    expect(cosTurns(1.125)).toBe(cosTurns(0.125));
    expect(sinTurns(-0.375)).toBe(sinTurns(0.625));
    expect(cosTurns(Infinity)).toBeNaN();
    expect(sinTurns(NaN)).toBeNaN();
    const rng = new Rng(8);
    for (let i = 0; i < 20000; i++) {
      const u = rng.uniform(); // exact in float32, so 2π·u is the angle Math.cos sees up to one rounding
      const angle = 2 * Math.PI * u;
      expect(Math.abs(cosTurns(u) - Math.cos(angle))).toBeLessThanOrEqual(2e-15);
      expect(Math.abs(sinTurns(u) - Math.sin(angle))).toBeLessThanOrEqual(2e-15);
    }
    expect(cosTurns(1 / 6)).toBeCloseTo(0.5, 15);
    expect(sinTurns(1 / 12)).toBeCloseTo(0.5, 15);
  });

  it('Rng.normal() is Box–Muller on them: the first draws of seed 1 are pinned, the same in every engine', () => {
    const rng = new Rng(1);
    const draws = [rng.normal(), rng.normal(), rng.normal(), rng.normal()];
    expect(draws).toEqual([
      0.29783725479944978, 1.0146537652146941, 0.80068302501973343, -0.37582792932278924,
    ]);
    // standard normal moments over 1e5 draws
    const many = new Rng(3).fillNormal(new Float32Array(100000));
    const mean = many.reduce((a, b) => a + b, 0) / many.length;
    const variance = many.reduce((a, b) => a + (b - mean) ** 2, 0) / many.length;
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(variance - 1)).toBeLessThan(0.02);
  });
});
