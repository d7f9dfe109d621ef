import { engine } from '../engine';

/** What `backendInfo` reports about a backend. */
export interface BackendInfo {
  /** Registry name. */
  readonly name: string;
  /** CPU threads its kernels use now (the calling thread included). */
  readonly threads: number;
  /** Why that many threads: the setting (`setThreads`, `FBT_THREADS`, the default), or why not more. */
  readonly threadsReason: string;
}

/**
 * Reports on the backend `name` (default: the active one), creating it if needed: its thread
 * count and why. The wasm backend uses a pool of threads where the engine allows it (Node ≥ 20.16,
 * or a Web Worker of a cross-origin isolated page); cpu and gpu kernels run on the calling thread.
 *
 * @example
 * backendInfo(); // { name: 'wasm', threads: 2, threadsReason: 'default: min(2 cores, 8)' }
 */
export function backendInfo(name?: string): BackendInfo {
  const backend = engine().findBackend(name ?? engine().backend.name);
  const info = backend.threadInfo?.() ?? {
    threads: 1,
    reason: `the ${backend.name} backend runs its kernels on the calling thread`,
  };
  return { name: backend.name, threads: info.threads, threadsReason: info.reason };
}
