import { PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';

/** Records the garbage collector's pauses until `stop()`, which returns them. */
export function recordGc(): { stop(): Promise<PerformanceEntry[]> } {
  const entries: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => entries.push(...list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  return {
    // GC entries are delivered asynchronously: let the queued ones arrive before disconnecting.
    async stop(): Promise<PerformanceEntry[]> {
      await new Promise((resolve) => setImmediate(resolve));
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
