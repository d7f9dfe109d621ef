import { registerBackend } from '../../engine';
import { checkOptions } from '../../options';
import { wasmBackend } from '.';
import { wasmRelaxedSimdSupported, wasmSimdSupported, type WasmModuleVariant } from './instance';

/** Options of `registerWasmBackend`. */
export interface WasmBackendOptions {
  /** Registry name (default `wasm`). */
  readonly name?: string;
  /**
   * Engine priority; above the cpu backend's 1 makes it the default backend. Default 2, the
   * priority the engine itself registers `wasm` with.
   */
  readonly priority?: number;
  /**
   * The kernel module: `relaxedSimd` (fused multiply-adds in the GEMM micro-kernel) or `simd`.
   * Default: `relaxedSimd` where the engine validates it, `simd` otherwise. Asking for
   * `relaxedSimd` where the engine lacks it registers nothing and returns false.
   */
  readonly moduleVariant?: WasmModuleVariant;
}

/**
 * Registers the WebAssembly SIMD backend with the engine under `name` (default `wasm`); it starts
 * on first use, through `registerBackend(wasmBackend(moduleVariant), …)`. The engine already
 * registers it as `wasm` with priority 2, the default backend wherever WebAssembly SIMD exists (cpu
 * otherwise), so call this only for another name, priority or module variant. In browsers, `await ready()` before the first op, since the module compiles
 * asynchronously there. Returns false (and registers nothing) where WebAssembly SIMD is missing.
 *
 * @example
 * registerWasmBackend();
 * setBackend('wasm');
 * await ready();
 */
export function registerWasmBackend(options: WasmBackendOptions = {}): boolean {
  checkOptions(options, { name: true, priority: true, moduleVariant: true }, 'registerWasmBackend');
  if (!wasmSimdSupported()) return false;
  const { moduleVariant } = options;
  if (moduleVariant === 'relaxedSimd' && !wasmRelaxedSimdSupported()) return false;
  const { name, priority } = options;
  registerBackend(wasmBackend(moduleVariant), {
    ...(name === undefined ? {} : { name }),
    ...(priority === undefined ? {} : { priority }),
  });
  return true;
}
