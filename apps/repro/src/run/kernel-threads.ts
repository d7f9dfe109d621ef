import { availableParallelism } from 'node:os';

/**
 * Kernel threads for each of `concurrentRuns` runs trained at once on worker threads: the cores
 * shared out evenly (at least one each), so runs × kernel threads never oversubscribes the machine;
 * a smaller `FBT_THREADS` lowers it further, a larger one does not raise it (64 threads in each of
 * the runs of a 2-core machine were 139 threads fighting for 2 cores).
 */
export function kernelThreadsPerRun(concurrentRuns: number, cores = availableParallelism()): number {
  const share = Math.max(1, Math.floor(cores / concurrentRuns));
  const requested = process.env.FBT_THREADS ?? '';
  return requested === '' ? share : Math.min(share, Number(requested));
}
