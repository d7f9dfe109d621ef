import { describe, expect, it } from 'vitest';
import {
  ArgumentError,
  Rng,
  bernoulli,
  rand,
  randn,
  uniform,
  withBackend,
  engine,
  type Tensor,
} from '../src';

const bytes = (t: Tensor): Buffer => Buffer.from(new Float32Array(t.dataSync()).buffer);

const creators: [string, (rng: Rng) => Tensor][] = [
  ['rand', (rng) => rand([257, 3], rng)],
  ['randn', (rng) => randn([257, 3], rng, 1, 2)],
  ['uniform', (rng) => uniform([257, 3], -2, 5, rng)],
  ['bernoulli', (rng) => bernoulli([257, 3], 0.3, rng)],
];

describe('seeded random creators', () => {
  it('pin the xoshiro128** stream: these exact values on every machine and in every browser', () => {
    const r = new Rng(0);
    expect([r.nextUint32(), r.nextUint32(), r.nextUint32(), r.nextUint32()]).toEqual([
      50113177, 1317682150, 1654315219, 1250130309,
    ]);
    const u = new Rng(42);
    expect([u.uniform(), u.uniform()]).toEqual([0.4690227508544922, 0.5905764102935791]);
  });

  for (const [name, create] of creators) {
    it(`${name}: the same seed gives bit-identical tensors on every registered backend`, () => {
      const reference = bytes(create(new Rng(11)));
      for (const backend of engine().backendNames()) {
        withBackend(backend, () => {
          expect(bytes(create(new Rng(11))).equals(reference)).toBe(true);
        });
      }
      expect(bytes(create(new Rng(12))).equals(reference)).toBe(false);
    });
  }

  it('draws with the stated distributions', () => {
    const n = 100_000;
    const mean = (v: ArrayLike<number>): number => {
      let total = 0;
      for (let i = 0; i < v.length; i++) total += v[i]!;
      return total / v.length;
    };
    const u = uniform([n], -2, 6, new Rng(1)).dataSync();
    expect(Math.min(...u)).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...u)).toBeLessThan(6);
    expect(mean(u)).toBeCloseTo(2, 1);
    const z = randn([n], new Rng(2), 3, 0.5).dataSync();
    const m = mean(z);
    const sd = Math.sqrt(mean(Array.from(z, (x) => (x - m) ** 2)));
    expect(m).toBeCloseTo(3, 2);
    expect(sd).toBeCloseTo(0.5, 2);
    const b = bernoulli([n], 0.25, new Rng(3)).dataSync();
    expect(Array.from(b).every((x) => x === 0 || x === 1)).toBe(true);
    expect(mean(b)).toBeCloseTo(0.25, 2);
  });

  it('split() and fork() are deterministic and independent of each other', () => {
    const a = new Rng(5);
    const b = new Rng(5);
    expect(a.split().nextUint32()).toBe(b.split().nextUint32());
    expect(a.nextUint32()).toBe(b.nextUint32());
    const parent = new Rng(5);
    const before = new Rng(5).nextUint32();
    expect(parent.fork('init').nextUint32()).toBe(new Rng(5).fork('init').nextUint32());
    expect(parent.fork('init').nextUint32()).not.toBe(parent.fork('data').nextUint32());
    expect(parent.nextUint32()).toBe(before); // fork does not advance the parent
  });

  it('rejects bad arguments with the culprit named', () => {
    expect(() => new Rng(Number.NaN)).toThrow(ArgumentError);
    expect(() => new Rng(Number.NaN)).toThrow(/seed NaN/);
    expect(() => uniform([2], 3, 1, new Rng(0))).toThrow(/low 3 > high 1/);
    expect(() => bernoulli([2], 1.5, new Rng(0))).toThrow(/p=1.5/);
    expect(() => rand([2, -1], new Rng(0))).toThrow(/dimension -1/);
    expect(() => new Rng(0).int(0)).toThrow(/n=0/);
  });
});
