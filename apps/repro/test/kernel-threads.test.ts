import { afterEach, describe, expect, it } from 'vitest';
import { kernelThreadsPerRun } from '../src/run/kernel-threads';

describe('kernel threads per run', () => {
  const saved = process.env.FBT_THREADS;
  afterEach(() => {
    if (saved === undefined) delete process.env.FBT_THREADS;
    else process.env.FBT_THREADS = saved;
  });

  it('shares the cores out over the runs trained at once, at least one each', () => {
    delete process.env.FBT_THREADS;
    expect(kernelThreadsPerRun(1, 16)).toBe(16);
    expect(kernelThreadsPerRun(2, 16)).toBe(8);
    expect(kernelThreadsPerRun(3, 16)).toBe(5);
    expect(kernelThreadsPerRun(2, 2)).toBe(1);
    expect(kernelThreadsPerRun(8, 2)).toBe(1);
  });

  it('leaves FBT_THREADS in charge when the user set it', () => {
    process.env.FBT_THREADS = '3';
    expect(kernelThreadsPerRun(2, 16)).toBeUndefined();
  });
});
