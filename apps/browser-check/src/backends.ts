import {
  WasmBackend,
  engine,
  getBackend,
  ready,
  registerWasmBackend,
  wasmRelaxedSimdSupported,
  wasmSimdSupported,
} from '@fbt/tensor';

/** What the engine picked as its default backend, and what the WebAssembly engine supports. */
export interface BackendInfo {
  /** Name of the default backend (after `await ready()`). */
  readonly defaultBackend: string;
  /** The kernel module variant when the default backend is a `WasmBackend`, else null. */
  readonly moduleVariant: string | null;
  /** `wasmSimdSupported()`. */
  readonly simdSupported: boolean;
  /** `wasmRelaxedSimdSupported()`. */
  readonly relaxedSimdSupported: boolean;
}

/**
 * Readies the default backend (browsers compile the wasm module asynchronously) and describes it.
 * Call it before anything selects a backend, so the answer is the engine's own default.
 */
export async function defaultBackendInfo(): Promise<BackendInfo> {
  await ready();
  const backend = engine().backend;
  return {
    defaultBackend: getBackend(),
    moduleVariant: backend instanceof WasmBackend ? backend.moduleVariant : null,
    simdSupported: wasmSimdSupported(),
    relaxedSimdSupported: wasmRelaxedSimdSupported(),
  };
}

/** The registry name of the wasm backend pinned to the plain-SIMD kernel module. */
export const WASM_SIMD_BACKEND = 'wasm-simd';

/**
 * Registers `wasm-simd`, a wasm backend that always loads the plain-SIMD module (priority 0, so the
 * default backend is unchanged). The default `wasm` backend loads relaxed SIMD where the engine
 * validates it, so `wasm-simd` is the variant every engine with WebAssembly SIMD can run.
 * Returns false where WebAssembly SIMD is missing.
 */
export function registerWasmSimdBackend(): boolean {
  return registerWasmBackend({ name: WASM_SIMD_BACKEND, moduleVariant: 'simd', priority: 0 });
}
