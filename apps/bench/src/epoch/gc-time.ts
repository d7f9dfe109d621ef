import { PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';

/** How long to wait for the GC entries still queued, in ms (50 ms sufficed in Node 20). */
const GC_DELIVERY_MS = 200;

/** Records the garbage collector's pauses until `stop()`, which returns them. */
export function recordGc(): { stop(): Promise<PerformanceEntry[]> } {
  const entries: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => entries.push(...list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  return {
    // Node delivers GC entries from a timer after the pause, not within the next turn of the
    // event loop: wait for the queued ones before disconnecting.
    async stop(): Promise<PerformanceEntry[]> {
      await new Promise((resolve) => setTimeout(resolve, GC_DELIVERY_MS));
      observer.disconnect();
      return entries;
    },
  };
}

/** Total duration (ms) of the pauses that started within `[from, to)` (`performance.now()` times). */
export function pausedWithin(entries: readonly PerformanceEntry[], from: number, to: number): number {
  return entries
    .filter((e) => e.startTime >= from && e.startTime < to)
    .reduce((sum, e) => sum + e.duration, 0);
}
