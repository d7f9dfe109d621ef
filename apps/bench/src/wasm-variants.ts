import {
  backendInfo,
  enableRelaxedSimd,
  engine,
  getThreads,
  registerWasmBackend,
  type WasmBackend,
} from '@fbt/tensor';

/** Which wasm kernel modules the bench compares, and how relaxed SIMD came to be available. */
export interface WasmVariants {
  /** The fbt backends to bench: `wasm` (the best module), plus `wasm-simd` when that is relaxed SIMD. */
  readonly backends: readonly string[];
  /** Kernel thread counts of the `fbt-wasm` columns: 1, and N (`getThreads()`) where threads run and N > 1. */
  readonly threadCounts: readonly number[];
  /** Lines for the report. */
  readonly description: string;
}

/** `[1, N]` with N the thread setting, or `[1]` where threads are unavailable or N is 1; and a line saying so. */
function threadColumns(): { threadCounts: number[]; line: string } {
  const n = getThreads();
  const info = backendInfo('wasm');
  if (n === 1 || info.threads === 1)
    return { threadCounts: [1], line: `fbt-wasm ×1 only: ${info.threadsReason}` };
  return { threadCounts: [1, n], line: `fbt-wasm ×1 and ×${n} kernel threads (${info.threadsReason})` };
}

/**
 * Registers the wasm backends to bench. Node 20 keeps relaxed SIMD behind a V8 flag that Node 22+
 * and Chrome 114+ have on by default; the bench sets it (before any kernel module compiles), so
 * `fbt-wasm` runs the module those engines pick, fused multiply-adds included, and registers
 * `wasm-simd` beside it: the plain SIMD module, what Node 20 runs without the flag.
 */
export function setUpWasmVariants(): WasmVariants {
  if (!registerWasmBackend()) {
    return { backends: [], threadCounts: [], description: 'fbt-wasm skipped: no WebAssembly SIMD' };
  }
  const relaxed = enableRelaxedSimd();
  const { moduleVariant } = engine().findBackend('wasm') as WasmBackend;
  const { threadCounts, line } = threadColumns();
  if (moduleVariant !== 'relaxedSimd') {
    return {
      backends: ['wasm'],
      threadCounts,
      description: `fbt-wasm: ${moduleVariant} kernel module (no relaxed SIMD here)\n${line}`,
    };
  }
  registerWasmBackend({ name: 'wasm-simd', moduleVariant: 'simd', priority: 0 });
  const how =
    relaxed === 'default'
      ? 'on by default here'
      : 'enabled by the bench with --experimental-wasm-relaxed-simd';
  return {
    backends: ['wasm', 'wasm-simd'],
    threadCounts,
    description: `fbt-wasm: relaxedSimd kernel module (relaxed SIMD ${how}); fbt-wasm-simd: the plain simd module\n${line}`,
  };
}
