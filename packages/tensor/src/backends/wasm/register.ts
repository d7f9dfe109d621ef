import { engine } from '../../engine';
import { createWasmBackend } from '.';
import { wasmSimdSupported } from './instance';

/** Options of `registerWasmBackend`. */
export interface WasmBackendOptions {
  /** Registry name (default `wasm`). */
  readonly name?: string;
  /** Engine priority; above the cpu backend's 1 makes it the default backend. Default 0. */
  readonly priority?: number;
}

/**
 * Registers the WebAssembly SIMD backend with the engine under `name` (default `wasm`); it starts
 * on first use (`setBackend('wasm')`, `withBackend('wasm', …)`). In browsers, `await ready()` after
 * switching to it, since the module compiles asynchronously there. Returns false (and registers
 * nothing) where WebAssembly SIMD is not available.
 *
 * @example
 * registerWasmBackend();
 * setBackend('wasm');
 * await ready();
 */
export function registerWasmBackend(options: WasmBackendOptions = {}): boolean {
  if (!wasmSimdSupported()) return false;
  const name = options.name ?? 'wasm';
  engine().registerBackend(name, () => createWasmBackend(name), options.priority ?? 0);
  return true;
}
