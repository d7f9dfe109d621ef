import {
  conv2d,
  conv2dBackpropFilter,
  conv2dBackpropInput,
  matmul,
  setThreads,
  tensor,
  tidy,
  withBackend,
  type Tensor,
} from '@fbt/tensor';
import type { Contender, Run } from '../contender';
import type { Workload } from '../workloads';
import { fbtBinaryGemm, fbtMlpForward } from './fbt-binary';
import { fbtTrainingStep } from './fbt-training';

/** Runs `compute` in a tidy scope and reads its outputs back, so every run frees what it made. */
function readBack(compute: () => Tensor[]): Float32Array[] {
  return tidy(() => compute().map((t) => t.dataSync() as Float32Array));
}

/** Options of `fbtContender`. */
export interface FbtContenderOptions {
  /** True for a backend that compiles kernels on first use (`gpu`). */
  readonly compilesOnFirstRun?: boolean;
  /** The wasm backend's kernel threads for every run (`setThreads`); the column is named `… ×threads`. */
  readonly threads?: number;
}

/**
 * fbt's public ops on the backend registered under `backendName` (`cpu`, `wasm`, `gpu`). Inputs are
 * uploaded once in `prepare`; each run computes and reads its outputs back, so a run's time
 * includes all the work a device queued for it. With `threads`, each run first sets the wasm
 * backend's kernel threads (the pool keeps its threads, so switching between columns is free).
 */
export function fbtContender(
  backendName: string,
  { compilesOnFirstRun = false, threads }: FbtContenderOptions = {},
): Contender {
  return {
    name: threads === undefined ? `fbt-${backendName}` : `fbt-${backendName} ×${threads}`,
    compilesOnFirstRun,
    prepare(workload: Workload): Run | null {
      if (threads === undefined) return prepareOn(backendName, workload);
      setThreads(threads);
      const run = prepareOn(backendName, workload);
      return run === null
        ? null
        : () => {
            setThreads(threads);
            return run();
          };
    },
  };
}

/** Uploads `workload`'s inputs to `backendName` and returns its timed run, or null when unsupported. */
function prepareOn(backendName: string, { spec }: Workload): Run | null {
  return withBackend(backendName, () => {
    switch (spec.kind) {
      case 'matmul': {
        const a = tensor(spec.a.slice(), [spec.m, spec.k]);
        const b = tensor(spec.b.slice(), [spec.k, spec.n]);
        return () => withBackend(backendName, () => readBack(() => [matmul(a, b)]));
      }
      case 'conv2dForward': {
        const x = tensor(spec.x.slice(), spec.xShape);
        const w = tensor(spec.w.slice(), spec.wShape);
        return () => withBackend(backendName, () => readBack(() => [conv2d(x, w)]));
      }
      case 'conv2dBackward': {
        const x = tensor(spec.x.slice(), spec.xShape);
        const w = tensor(spec.w.slice(), spec.wShape);
        const dy = tensor(spec.dy.slice(), spec.yShape);
        return () =>
          withBackend(backendName, () =>
            readBack(() => [
              conv2dBackpropInput(dy, w, { inputShape: x.shape }),
              conv2dBackpropFilter(x, dy, { filterShape: w.shape }),
            ]),
          );
      }
      case 'trainingStep':
        return fbtTrainingStep(backendName, spec);
      case 'binaryMatmul':
        return fbtBinaryGemm(backendName, spec);
      case 'mlpForward':
        return fbtMlpForward(backendName, spec);
    }
  });
}
