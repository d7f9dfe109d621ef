import { describe, expect, it } from 'vitest';
import { ArgumentError, Rng } from '@fbt/tensor';
import { blobs, onesDataset, spirals, twoMoons, xor } from '../src';

function rows(values: ArrayLike<number>, d: number): number[][] {
  const all = Array.from(values);
  return Array.from({ length: all.length / d }, (_, i) => all.slice(i * d, (i + 1) * d));
}

describe('onesDataset (the paper\'s "Ones" set)', () => {
  it('labels 1[K/d > tau] with K the number of ones', () => {
    const d = 10;
    const { x, y } = onesDataset({ d, n: 2000, rng: 3 });
    expect(x.shape).toEqual([2000, d]);
    const labels = y.dataSync();
    const weights = new Array<number>(d + 1).fill(0);
    rows(x.dataSync(), d).forEach((row, i) => {
      expect(row.every((v) => v === 0 || v === 1)).toBe(true);
      const k = row.reduce((a, b) => a + b, 0);
      weights[k]! += 1;
      expect(labels[i]).toBe(k >= 8 ? 1 : 0); // K/10 > 0.7 ⇔ K >= 8
    });
    // K uniform on 0..10: every weight appears, about 2000/11 ≈ 182 times each
    for (const count of weights) expect(count).toBeGreaterThan(120);
  });

  it('places the ones uniformly and honours tau', () => {
    const d = 8;
    const { x, y } = onesDataset({ d, n: 4000, tau: 0.25, rng: new Rng(5) });
    const perPosition = new Array<number>(d).fill(0);
    const values = x.dataSync();
    for (let i = 0; i < values.length; i++) perPosition[i % d]! += values[i]!;
    // E[ones at a position] = n·E[K]/d = 4000·4/8 = 2000
    for (const count of perPosition) expect(Math.abs(count - 2000)).toBeLessThan(150);
    rows(values, d).forEach((row, i) => {
      const k = row.reduce((a, b) => a + b, 0);
      expect(y.dataSync()[i]).toBe(k / d > 0.25 ? 1 : 0);
    });
  });

  it('is reproducible from the seed and rejects bad parameters', () => {
    const a = onesDataset({ d: 12, n: 50, rng: 9 });
    const b = onesDataset({ d: 12, n: 50, rng: 9 });
    expect(Array.from(a.x.dataSync())).toEqual(Array.from(b.x.dataSync()));
    expect(Array.from(onesDataset({ d: 12, n: 50, rng: 10 }).x.dataSync())).not.toEqual(
      Array.from(a.x.dataSync()),
    );
    expect(() => onesDataset({ d: 0, n: 5, rng: 1 })).toThrow(
      /onesDataset: d=0; expected a positive integer/,
    );
    expect(() => onesDataset({ d: 4, n: 5, tau: 1.5, rng: 1 })).toThrow(ArgumentError);
  });
});

describe('toy sets', () => {
  it('xor with no noise gives the four classic points', () => {
    const { x, y } = xor({ n: 4, noise: 0, rng: 1 });
    expect(rows(x.dataSync(), 2)).toEqual([
      [-1, -1],
      [1, -1],
      [-1, 1],
      [1, 1],
    ]);
    expect(Array.from(y.dataSync())).toEqual([0, 1, 1, 0]);
  });

  it('two moons without noise lie on the two half circles of make_moons', () => {
    const { x, y } = twoMoons({ n: 6, rng: 1 });
    const points = rows(x.dataSync(), 2);
    // upper moon t = 0, π/2, π; lower moon (1 - cos t, 0.5 - sin t)
    const expected = [
      [1, 0],
      [0, 0.5],
      [0, 1],
      [1, -0.5],
      [-1, 0],
      [2, 0.5],
    ];
    points.forEach((p, i) => {
      expect(p[0]).toBeCloseTo(expected[i]![0]!, 6);
      expect(p[1]).toBeCloseTo(expected[i]![1]!, 6);
    });
    expect(Array.from(y.dataSync())).toEqual([0, 1, 0, 1, 0, 1]);
  });

  it('spirals put sample i on arm i mod classes at radius growing to 1', () => {
    const { x, y } = spirals({ n: 6, classes: 3, turns: 0, rng: 1 });
    const points = rows(x.dataSync(), 2);
    expect(Array.from(y.dataSync())).toEqual([0, 1, 2, 0, 1, 2]);
    // turns 0: arm c is the ray at angle 2πc/3; radii 1/2 then 1
    points.forEach((p, i) => {
      const r = i < 3 ? 0.5 : 1;
      const theta = (2 * Math.PI * (i % 3)) / 3;
      expect(p[0]).toBeCloseTo(r * Math.cos(theta), 6);
      expect(p[1]).toBeCloseTo(r * Math.sin(theta), 6);
    });
  });

  it('blobs scatter around the given centres with the given spread', () => {
    const { x, y } = blobs({
      n: 3000,
      centers: [
        [5, -5],
        [-5, 5],
        [0, 10],
      ],
      std: 0.5,
      rng: 2,
    });
    const sums = [
      [0, 0],
      [0, 0],
      [0, 0],
    ];
    const labels = y.dataSync();
    rows(x.dataSync(), 2).forEach((p, i) => {
      sums[labels[i]!]![0]! += p[0]!;
      sums[labels[i]!]![1]! += p[1]!;
    });
    expect(sums.map(([a, b]) => [Math.round(a! / 1000) + 0, Math.round(b! / 1000) + 0])).toEqual([
      [5, -5],
      [-5, 5],
      [0, 10],
    ]);
    const random = blobs({ n: 10, centers: 4, d: 3, rng: 2 });
    expect(random.x.shape).toEqual([10, 3]);
    expect(Math.max(...random.y.dataSync())).toBe(3);
    expect(() => blobs({ n: 5, centers: [[1], [1, 2]], rng: 1 })).toThrow(/equally long rows/);
  });

  it('same seed, same noise; bad options throw ArgumentError', () => {
    const a = twoMoons({ n: 100, noise: 0.1, rng: 4 }).x.dataSync();
    const b = twoMoons({ n: 100, noise: 0.1, rng: new Rng(4) }).x.dataSync();
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(() => xor({ n: 10, noise: -1, rng: 1 })).toThrow(/xor: noise=-1/);
    expect(() => spirals({ n: 2.5, rng: 1 })).toThrow(/spirals: n=2.5/);
    expect(() => twoMoons({ n: 10, rng: 'seed' as unknown as number })).toThrow(
      /rng is seed; expected an Rng or a seed number/,
    );
  });
});
