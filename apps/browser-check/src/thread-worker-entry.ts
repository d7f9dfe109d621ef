/**
 * The Web Worker entry of the threaded-wasm check: answers a message holding thread counts with
 * `runThreadChecks(counts)` (or `{ error }`). See `test/threads.test.ts`.
 * @packageDocumentation
 */
import { runThreadChecks } from './thread-checks';

self.onmessage = (event: MessageEvent<number[]>): void => {
  runThreadChecks(event.data).then(
    (result) => self.postMessage(result),
    (error: unknown) => self.postMessage({ error: error instanceof Error ? error.stack : String(error) }),
  );
};
