import type { Workload } from './workloads';

/** One timed run of a workload: computes its outputs (read back to the JS heap) and returns them. */
export type Run = () => Float32Array[];

/**
 * An implementation the bench compares: a column of the report. Naive loops, fbt's backends and
 * peers such as TensorFlow.js each implement this, so adding one is adding a module.
 */
export interface Contender {
  /** Column name, e.g. `naive`, `fbt-cpu`. */
  readonly name: string;
  /**
   * True when the first run of a workload also compiles kernels (the GPU backend compiles its
   * shaders then), so the bench times a second run to choose how often to sample.
   */
  readonly compilesOnFirstRun?: boolean;
  /** Prepares `workload` (uploads inputs and so on), or returns null when it is not supported. */
  prepare(workload: Workload): Run | null;
}
