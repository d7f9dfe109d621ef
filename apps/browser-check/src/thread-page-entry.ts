/**
 * The page entry of the threaded-wasm check: `window.__fbtThreads(counts)` reports the wasm
 * backend's threads on the page's main thread and runs `runThreadChecks(counts)` in a Web Worker
 * loaded from `worker.js` (see `test/threads.test.ts`).
 * @packageDocumentation
 */
import { backendInfo, type BackendInfo } from '@fbt/tensor';
import type { ThreadCheckResult } from './thread-checks';

/** What the page reports: the main thread's wasm thread info and the worker's check. */
export interface ThreadPageResult {
  readonly main: BackendInfo;
  readonly worker: ThreadCheckResult;
}

declare global {
  interface Window {
    /** Set by the bundle once it has loaded. */
    __fbtThreads?: (threadCounts: number[]) => Promise<ThreadPageResult>;
  }
}

window.__fbtThreads = async (threadCounts) => {
  const worker = new Worker('worker.js');
  const reply = await new Promise<ThreadCheckResult | { error: string }>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<ThreadCheckResult | { error: string }>) => resolve(event.data);
    worker.onerror = (event) => reject(new Error(`worker.js failed: ${event.message}`));
    worker.postMessage(threadCounts);
  });
  worker.terminate();
  if ('error' in reply) throw new Error(`the thread check failed in the worker: ${reply.error}`);
  return { main: backendInfo('wasm'), worker: reply };
};
