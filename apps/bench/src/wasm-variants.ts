import { setFlagsFromString } from 'node:v8';
import { engine, registerWasmBackend, wasmRelaxedSimdSupported, type WasmBackend } from '@fbt/tensor';

/** Which wasm kernel modules the bench compares, and how relaxed SIMD came to be available. */
export interface WasmVariants {
  /** The fbt backends to bench: `wasm` (the best module), plus `wasm-simd` when that is relaxed SIMD. */
  readonly backends: readonly string[];
  /** One line for the report. */
  readonly description: string;
}

/**
 * Registers the wasm backends to bench. Node 20 keeps relaxed SIMD behind a V8 flag that Node 22+
 * and Chrome 114+ have on by default; the bench sets it (before any kernel module compiles), so
 * `fbt-wasm` runs the module those engines pick, fused multiply-adds included, and registers
 * `wasm-simd` beside it: the plain SIMD module, what Node 20 runs without the flag.
 */
export function setUpWasmVariants(): WasmVariants {
  if (!registerWasmBackend()) return { backends: [], description: 'fbt-wasm skipped: no WebAssembly SIMD' };
  const byDefault = wasmRelaxedSimdSupported();
  if (!byDefault) setFlagsFromString('--experimental-wasm-relaxed-simd');
  const { moduleVariant } = engine().findBackend('wasm') as WasmBackend;
  if (moduleVariant !== 'relaxedSimd') {
    return {
      backends: ['wasm'],
      description: `fbt-wasm: ${moduleVariant} kernel module (no relaxed SIMD here)`,
    };
  }
  registerWasmBackend({ name: 'wasm-simd', moduleVariant: 'simd', priority: 0 });
  const how = byDefault ? 'on by default here' : 'enabled by the bench with --experimental-wasm-relaxed-simd';
  return {
    backends: ['wasm', 'wasm-simd'],
    description: `fbt-wasm: relaxedSimd kernel module (relaxed SIMD ${how}); fbt-wasm-simd: the plain simd module`,
  };
}
