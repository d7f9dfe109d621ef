import type { BackendDefinition } from '../backend/definition';
import { CPU_BACKEND } from './cpu';
import { wasmBackend, wasmSimdSupported } from './wasm';

/**
 * The backends every engine starts with: the cpu reference (priority 1), and the WebAssembly SIMD
 * backend (priority 2, so the default) wherever WebAssembly SIMD runs. They are registered the way
 * any backend is, through `registerBackend`.
 */
export function builtInBackends(): BackendDefinition[] {
  return wasmSimdSupported() ? [CPU_BACKEND, wasmBackend()] : [CPU_BACKEND];
}
