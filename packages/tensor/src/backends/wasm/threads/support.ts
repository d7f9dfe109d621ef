import { SHARED_MAXIMUM_PAGES } from '../module.generated';
import { nodeProcess, spawnNodeThread, spawnWebThread } from './spawn';
import type { Spawn } from './pool';

/** Whether this engine can run the kernel pool, and how it starts threads; else why not. */
export type ThreadSupport =
  | { readonly available: true; readonly spawn: Spawn; readonly blocking: boolean }
  | { readonly available: false; readonly reason: string };

/**
 * Decides whether the wasm backend can use threads here. Node needs `process.getBuiltinModule`
 * (Node ≥ 20.16); a browser needs a Web Worker (the main thread of a page may not block in
 * `Atomics.wait`) in a cross-origin isolated page (COOP `same-origin` + COEP `require-corp`, which
 * make `SharedArrayBuffer` available). `blocking` is true where a pool may be started while the
 * caller blocks (Node); in browsers a pool starts asynchronously (`ready()`).
 */
export function threadSupport(): ThreadSupport {
  if (typeof SharedArrayBuffer === 'undefined' || typeof Atomics === 'undefined') {
    return {
      available: false,
      reason:
        'SharedArrayBuffer is unavailable (in a browser: serve the page cross-origin isolated, with ' +
        'Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)',
    };
  }
  const node = nodeProcess();
  if (node !== undefined) {
    if (node.getBuiltinModule === undefined) {
      return {
        available: false,
        reason: 'this Node lacks process.getBuiltinModule (Node 20.16 or later has it)',
      };
    }
    return { available: true, spawn: spawnNodeThread, blocking: true };
  }
  if (typeof document !== 'undefined') {
    return {
      available: false,
      reason:
        'the main thread of a page may not block in Atomics.wait; run the training loop in a Web Worker to use threads',
    };
  }
  if ((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== true) {
    return {
      available: false,
      reason:
        'the page is not cross-origin isolated (serve it with Cross-Origin-Opener-Policy: same-origin and ' +
        'Cross-Origin-Embedder-Policy: require-corp)',
    };
  }
  if (typeof Worker === 'undefined') {
    return { available: false, reason: 'this worker cannot start Web Workers of its own' };
  }
  return { available: true, spawn: spawnWebThread, blocking: false };
}

/**
 * A new shared memory of `initial` pages for the threaded module: up to 4 GiB, or 1 GiB where the
 * engine cannot reserve that much address space (32-bit browsers).
 */
export function createSharedMemory(initial: number): WebAssembly.Memory {
  try {
    return new WebAssembly.Memory({ initial, maximum: SHARED_MAXIMUM_PAGES, shared: true });
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return new WebAssembly.Memory({ initial, maximum: SHARED_MAXIMUM_PAGES / 4, shared: true });
  }
}
