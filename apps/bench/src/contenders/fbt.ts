import {
  conv2d,
  conv2dBackpropFilter,
  conv2dBackpropInput,
  matmul,
  tensor,
  tidy,
  withBackend,
  type Tensor,
} from '@fbt/tensor';
import type { Contender, Run } from '../contender';
import type { Workload } from '../workloads';
import { fbtTrainingStep } from './fbt-training';

/** Runs `compute` in a tidy scope and reads its outputs back, so every run frees what it made. */
function readBack(compute: () => Tensor[]): Float32Array[] {
  return tidy(() => compute().map((t) => t.dataSync() as Float32Array));
}

/**
 * fbt's public ops on the backend registered under `backendName` (`cpu`, `wasm`, `gpu`). Inputs are
 * uploaded once in `prepare`; each run computes and reads its outputs back, so a run's time
 * includes all the work a device queued for it. Pass `compilesOnFirstRun` for a backend that
 * compiles kernels on first use (`gpu`).
 */
export function fbtContender(backendName: string, { compilesOnFirstRun = false } = {}): Contender {
  return {
    name: `fbt-${backendName}`,
    compilesOnFirstRun,
    prepare({ spec }: Workload): Run | null {
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
        }
      });
    },
  };
}
