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

  it('takes a smaller FBT_THREADS, and never a share above the cores (issue 23, group 10)', () => {
    process.env.FBT_THREADS = '3';
    expect(kernelThreadsPerRun(2, 16)).toBe(3);
    process.env.FBT_THREADS = '64';
    expect(kernelThreadsPerRun(2, 2)).toBe(1);
    expect(kernelThreadsPerRun(1, 2)).toBe(2);
    expect(kernelThreadsPerRun(4, 16)).toBe(4);
  });
});
