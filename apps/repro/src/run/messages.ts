import type { RunSpec } from '../experiments/types';
import type { EpochMetrics } from '../results/records';

/** Main thread → worker: train this run. */
export interface TaskMessage {
  readonly index: number;
  readonly run: RunSpec;
  readonly out: string;
}

/** Worker → main thread: progress and completion of a task. */
export type WorkerMessage =
  | { readonly type: 'epoch'; readonly index: number; readonly metrics: EpochMetrics }
  | { readonly type: 'done'; readonly index: number }
  | {
      readonly type: 'error';
      readonly index: number;
      readonly message: string;
      /** The run could not write its files (a full disk, an I/O error): the sweep stops. */
      readonly writeError: boolean;
    };

/** What each worker thread starts with. */
export interface WorkerData {
  /** The wasm backend's kernel threads for this worker's runs (`kernelThreadsPerRun`). */
  readonly kernelThreads: number;
}
