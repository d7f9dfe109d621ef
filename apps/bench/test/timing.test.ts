import { describe, expect, it } from 'vitest';
import { measureInterleaved, type TimingOptions } from '../src/timing';

const options = (o: Partial<TimingOptions>): TimingOptions => ({
  warmup: 0,
  minSamples: 1,
  maxSamples: 1,
  budgetMs: 0,
  ...o,
});

describe('measureInterleaved', () => {
  it('warms each run up first, then takes one sample of every unfinished run per round', () => {
    const calls: string[] = [];
    const timings = measureInterleaved([
      { run: () => calls.push('a'), options: options({ warmup: 2, minSamples: 3, maxSamples: 3 }) },
      { run: () => calls.push('b'), options: options({ warmup: 1, minSamples: 1, maxSamples: 1 }) },
      { run: () => calls.push('c'), options: options({ minSamples: 2, maxSamples: 2 }) },
    ]);
    expect(calls.join('')).toBe('aab' + 'abc' + 'ac' + 'a');
    expect(timings.map((t) => t.samples)).toEqual([3, 1, 2]);
  });

  it('stops a run at maxSamples or, past minSamples, once its own timed runs spent budgetMs', () => {
    const slow = (): number => {
      const until = performance.now() + 2;
      let spins = 0;
      while (performance.now() < until) spins++;
      return spins;
    };
    const [bounded, budgeted] = measureInterleaved([
      { run: () => undefined, options: options({ minSamples: 2, maxSamples: 7, budgetMs: 1e9 }) },
      { run: slow, options: options({ minSamples: 2, maxSamples: 1000, budgetMs: 10 }) },
    ]);
    expect(bounded!.samples).toBe(7);
    expect(budgeted!.samples).toBeGreaterThanOrEqual(2);
    expect(budgeted!.samples).toBeLessThanOrEqual(6);
    expect(budgeted!.minMs).toBeGreaterThanOrEqual(2);
    expect(budgeted!.medianMs).toBeGreaterThanOrEqual(budgeted!.minMs);
  });
});
