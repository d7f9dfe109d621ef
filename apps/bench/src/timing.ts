/** How long to measure one run function. */
export interface TimingOptions {
  /** Untimed runs first, so the JIT has compiled the hot loops. */
  readonly warmup: number;
  /** Timed runs at least. */
  readonly minSamples: number;
  /** Timed runs at most. */
  readonly maxSamples: number;
  /** Stop adding samples (beyond `minSamples`) once this much time was spent, in ms. */
  readonly budgetMs: number;
}

/** Timing of one run function. */
export interface Timing {
  /** Median wall time of one run, in ms. */
  readonly medianMs: number;
  /** Fastest run, in ms. */
  readonly minMs: number;
  /**
   * Median CPU time (user + system) of one run, in ms. Close to `medianMs` on an idle machine;
   * on a shared one it shows the work done while other processes held the cores.
   */
  readonly cpuMedianMs: number;
  /** Number of timed runs. */
  readonly samples: number;
}

/** The default: 2 warm-up runs, then 5 to 30 timed runs within about 1.5 s. */
export const DEFAULT_TIMING: TimingOptions = { warmup: 2, minSamples: 5, maxSamples: 30, budgetMs: 1500 };

/** Times `run` after a warm-up and returns the median of the samples. */
export function measure(run: () => unknown, options: TimingOptions = DEFAULT_TIMING): Timing {
  for (let i = 0; i < options.warmup; i++) run();
  const times: number[] = [];
  const cpuTimes: number[] = [];
  const start = performance.now();
  while (
    times.length < options.minSamples ||
    (times.length < options.maxSamples && performance.now() - start < options.budgetMs)
  ) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    run();
    times.push(performance.now() - t0);
    const cpu = process.cpuUsage(cpu0);
    cpuTimes.push((cpu.user + cpu.system) / 1000);
  }
  return {
    medianMs: median(times),
    minMs: Math.min(...times),
    cpuMedianMs: median(cpuTimes),
    samples: times.length,
  };
}

/** The median of a non-empty list (the mean of the middle two for an even count). */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
