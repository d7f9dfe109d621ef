import { engine, WasmBackend } from '@fbt/tensor';
import { UsageError } from '../errors';

/** The registry name of the gpu.js backend, which this app registers on demand from @fbt/gpu. */
export const GPU_BACKEND = 'gpu';

/** A backend started for runs, as recorded in each run's `config.json`. */
export interface BackendStatus {
  /** Registry name, e.g. `cpu`, `gpu`, `wasm`. */
  readonly name: string;
  /**
   * How the backend runs: the gpu.js mode of the gpu backend (`headlessgl`, or its non-accelerated
   * `cpu` fallback), the kernel module variant of the wasm backend (`simd` or `relaxedSimd`); null
   * for the cpu backend.
   */
  readonly mode: string | null;
  /** Why a gpu backend runs without acceleration; null when it is accelerated or not a gpu backend. */
  readonly fallbackReason: string | null;
}

/** The names `--backend` accepts: every backend @fbt/tensor registered (cpu, and wasm when it does), plus gpu. */
export function backendChoices(): string[] {
  return [...new Set([...engine().backendNames(), GPU_BACKEND])].sort();
}

/** Throws a UsageError naming the valid backends unless `name` is one of them. */
export function checkBackendName(name: string): void {
  const valid = backendChoices();
  if (!valid.includes(name)) {
    throw new UsageError(`--backend: unknown backend '${name}'; valid: ${valid.join(', ')}`);
  }
}

/**
 * Makes the backend `name` available in this thread (registering @fbt/gpu's backend first for `gpu`:
 * registrations live per thread, so every worker does this itself) and starts it, without making it
 * the active backend. Reports its mode: the gpu.js mode (including a fallback to the non-accelerated
 * `cpu` mode) or the wasm kernel module variant.
 */
export async function startBackend(name: string): Promise<BackendStatus> {
  checkBackendName(name);
  const gpu = name === GPU_BACKEND ? await import('@fbt/gpu') : null;
  if (gpu !== null && !engine().backendNames().includes(name)) {
    // The fallback is reported once by the caller (from backendInfo), not through console.warn.
    gpu.registerGpuBackend({ name, onFallback: () => undefined });
  }
  const backend = engine().findBackend(name);
  await backend.ready();
  if (gpu === null) {
    const mode = backend instanceof WasmBackend ? backend.moduleVariant : null;
    return { name, mode, fallbackReason: null };
  }
  const info = gpu.backendInfo(name);
  return { name, mode: info.mode, fallbackReason: info.accelerated ? null : info.reason };
}
