import { engine, setThreads, type WasmBackend } from '@fbt/tensor';

/** Floating-point operations of one round of the `peak` kernel on one thread (12 f32x4 multiply-adds). */
const FLOPS_PER_ROUND = 12 * 4 * 2;

/** The register-only multiply-add peak of one wasm kernel module on 1 and N threads. */
export interface PeakResult {
  /** The fbt backend it ran on (`wasm`: relaxed SIMD where available; `wasm-simd`: plain SIMD). */
  readonly backend: string;
  /** GFLOP/s of one thread. */
  readonly perThreadGflops: number;
  /** Threads of the second measurement. */
  readonly threads: number;
  /** GFLOP/s of all `threads` threads together. */
  readonly aggregateGflops: number;
  /** aggregate ÷ per-thread: how many threads' worth of multiply-adds the machine ran at once. */
  readonly scaling: number;
}

/** Best of `repeats` wall times (ms) of `run`. */
function bestMs(run: () => void, repeats: number): number {
  let best = Infinity;
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    run();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

/**
 * Measures `backendName`'s `peak` kernel (see packages/tensor/assembly/peak.ts) on 1 thread and on
 * `threads` threads, each thread running the same rounds: runs of about `runMs`, the fastest of
 * `repeats` (short runs, so that on a shared machine some fall in a quiet slice). Leaves the
 * backend on 1 thread.
 */
export function measurePeak(backendName: string, threads: number, runMs = 2, repeats = 60): PeakResult {
  const backend = engine().findBackend(backendName) as WasmBackend;
  const out = backend.exports.alloc(16 * Math.max(threads, 1));
  const runWith = (n: number, rounds: number) => (): void => {
    setThreads(n);
    backend.parallel('peak', Infinity, [rounds, out]);
  };
  let rounds = 1 << 10;
  while (bestMs(runWith(1, rounds), 3) < runMs / 2) rounds *= 2;
  const one = bestMs(runWith(1, rounds), repeats);
  const many = threads > 1 ? bestMs(runWith(threads, rounds), repeats) : one;
  setThreads(1);
  backend.exports.free(out);
  const perThreadGflops = (rounds * FLOPS_PER_ROUND) / one / 1e6;
  const aggregateGflops = (threads * rounds * FLOPS_PER_ROUND) / many / 1e6;
  return {
    backend: backendName,
    perThreadGflops,
    threads,
    aggregateGflops,
    scaling: aggregateGflops / perThreadGflops,
  };
}
