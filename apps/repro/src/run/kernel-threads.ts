import { availableParallelism } from 'node:os';

/**
 * Kernel threads for each of `concurrentRuns` runs trained at once on worker threads: the cores
 * shared out evenly (at least one each), so runs × kernel threads never oversubscribes the machine.
 * Undefined when `FBT_THREADS` is set: the user's choice then holds in every run.
 */
export function kernelThreadsPerRun(
  concurrentRuns: number,
  cores = availableParallelism(),
): number | undefined {
  if ((process.env.FBT_THREADS ?? '') !== '') return undefined;
  return Math.max(1, Math.floor(cores / concurrentRuns));
}
