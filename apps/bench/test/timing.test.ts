import { describe, expect, it } from 'vitest';
import {
  measureInterleaved,
  policyFor,
  timingFor,
  TRAINING_STEP_POLICY,
  WARMUP_POLICY,
  type TimingOptions,
} from '../src/timing';

const options = (o: Partial<TimingOptions>): TimingOptions => ({
  warmup: 0,
  minSamples: 1,
  maxSamples: 1,
  budgetMs: 0,
  primed: false,
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

  it('runs a primed function once untimed before each timed run, after its warm-up', () => {
    const calls: string[] = [];
    const timings = measureInterleaved([
      {
        run: () => calls.push('a'),
        options: options({ warmup: 1, minSamples: 2, maxSamples: 2, primed: true }),
      },
      { run: () => calls.push('b'), options: options({ minSamples: 2, maxSamples: 2 }) },
    ]);
    expect(calls.join('')).toBe('a' + 'aab' + 'aab');
    expect(timings.map((t) => t.samples)).toEqual([2, 2]);
  });

  it('warms training steps up for 2 s, every other workload for 0.3 s', () => {
    expect(policyFor('trainingStep')).toBe(TRAINING_STEP_POLICY);
    expect(policyFor('matmul')).toBe(WARMUP_POLICY);
    expect(TRAINING_STEP_POLICY.warmupMs).toBe(2000);
    expect(timingFor(5, TRAINING_STEP_POLICY).warmup).toBe(400);
    expect(timingFor(5).warmup).toBe(50);
  });

  it('primes fast runs only', () => {
    expect(timingFor(10).primed).toBe(true);
    expect(timingFor(WARMUP_POLICY.mediumMs + 1).primed).toBe(false);
    expect(timingFor(WARMUP_POLICY.slowMs + 1).primed).toBe(false);
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
