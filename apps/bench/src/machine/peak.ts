import { engine, setThreads, type WasmBackend } from '@fbt/tensor';

/** Floating-point operations of one round of the `peak` kernel on one thread (12 f32x4 multiply-adds). */
const FLOPS_PER_ROUND = 12 * 4 * 2;

/**
 * u64 words per row of the binary peak's panels: K = 1024 bits, as in the bench's large binary GEMM
 * (the micro-tile's loop length there), and L1-resident ((rows + columns of the tile) · 128 bytes).
 */
const BINARY_PEAK_WORDS = 16;

/**
 * What a peak counts: `float`, register-only f32x4 multiply-adds (GFLOP/s); `binary`, the binary
 * GEMM's XNOR-popcount micro-tile on L1-resident panels (G binary-ops/s, a product counted as a
 * multiply and an add, as for floats).
 */
export type PeakKind = 'float' | 'binary';

/** The peak of one wasm kernel module on 1 and N threads. */
export interface PeakResult {
  /** Float multiply-adds or binary XNOR-popcounts. */
  readonly kind: PeakKind;
  /** The fbt backend it ran on (`wasm`: relaxed SIMD where available; `wasm-simd`: plain SIMD). */
  readonly backend: string;
  /** GFLOP/s (G binary-ops/s for `binary`) of one thread. */
  readonly perThreadGflops: number;
  /** Threads of the second measurement. */
  readonly threads: number;
  /** GFLOP/s (G binary-ops/s) of all `threads` threads together. */
  readonly aggregateGflops: number;
  /** aggregate ÷ per-thread: how many threads' worth of the work the machine ran at once. */
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

/** The kernel call of a peak of `kind` and the operations of one of its rounds on one thread. */
interface PeakKernel {
  readonly ops: number;
  readonly run: (rounds: number) => void;
  readonly free: () => void;
}

/** Sets up `backend`'s peak kernel of `kind` (see assembly/peak.ts and `binaryPeak` in assembly/binary.ts). */
function peakKernel(backend: WasmBackend, kind: PeakKind, threads: number): PeakKernel {
  const { exports } = backend;
  if (kind === 'float') {
    const out = exports.alloc(16 * threads);
    return {
      ops: FLOPS_PER_ROUND,
      run: (rounds) => backend.parallel('peak', Infinity, [rounds, out]),
      free: () => exports.free(out),
    };
  }
  const pairs = exports.binaryTilePairs();
  const out = exports.alloc(128 * threads); // a 128-byte slot per thread (see binaryPeak)
  // The tile's rows + columns are at most 2·pairs panel rows of BINARY_PEAK_WORDS u64. Their bits
  // do not change the time; whatever bytes the allocation holds will do.
  const panels = exports.alloc(8 * BINARY_PEAK_WORDS * 2 * pairs);
  return {
    ops: 2 * pairs * 64 * BINARY_PEAK_WORDS,
    run: (rounds) => backend.parallel('binaryPeak', Infinity, [rounds, BINARY_PEAK_WORDS, panels, out]),
    free: () => {
      exports.free(panels);
      exports.free(out);
    },
  };
}

/**
 * Measures `backendName`'s peak kernel of `kind` on 1 thread and on `threads` threads, each thread
 * running the same rounds: runs of about `runMs`, the fastest of `repeats` (short runs, so that on a
 * shared machine some fall in a quiet slice). Leaves the backend on 1 thread.
 */
export function measurePeak(
  backendName: string,
  threads: number,
  kind: PeakKind = 'float',
  runMs = 2,
  repeats = 60,
): PeakResult {
  const backend = engine().findBackend(backendName) as WasmBackend;
  const kernel = peakKernel(backend, kind, Math.max(threads, 1));
  const runWith = (n: number, rounds: number) => (): void => {
    setThreads(n);
    kernel.run(rounds);
  };
  let rounds = 1 << 4;
  while (bestMs(runWith(1, rounds), 3) < runMs / 2) rounds *= 2;
  const one = bestMs(runWith(1, rounds), repeats);
  const many = threads > 1 ? bestMs(runWith(threads, rounds), repeats) : one;
  setThreads(1);
  kernel.free();
  const perThreadGflops = (rounds * kernel.ops) / one / 1e6;
  const aggregateGflops = (threads * rounds * kernel.ops) / many / 1e6;
  return {
    kind,
    backend: backendName,
    perThreadGflops,
    threads,
    aggregateGflops,
    scaling: aggregateGflops / perThreadGflops,
  };
}
