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
  /**
   * Each timed run follows an untimed run of the same function, so it meets warm caches and awake
   * kernel threads, as a run inside a loop of the same op does and as the PyTorch column (timed
   * back to back in its own process) does. Without it, an interleaved run of a short op pays for
   * waking the pool threads that slept through the other columns' runs (125–260 µs on the 2-vCPU
   * VM, against about 1 ms for the whole 128×784×256 GEMM). For fast runs only (see `timingFor`).
   */
  readonly primed: boolean;
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

/** The default: 2 warm-up runs, then 5 to 30 primed timed runs within about 1.5 s. */
export const DEFAULT_TIMING: TimingOptions = {
  warmup: 2,
  minSamples: 5,
  maxSamples: 30,
  budgetMs: 1500,
  primed: true,
};

/** How `timingFor` adapts the timing options to the duration of a workload's first run. */
export interface WarmupPolicy {
  /** The options of a fast run, whose `warmup` is the fewest warm-up runs. */
  readonly timing: TimingOptions;
  /** Warm a fast run up for about this long, in ms. */
  readonly warmupMs: number;
  /** Warm-up runs at most. */
  readonly maxWarmup: number;
  /** A first run longer than this (ms) gets one warm-up run. */
  readonly mediumMs: number;
  /** A first run longer than this (ms) gets no warm-up and `slowMinSamples` timed runs at least. */
  readonly slowMs: number;
  readonly slowMinSamples: number;
}

/**
 * Fast runs are warmed up for about 300 ms, long enough for V8 to replace baseline (Liftoff) wasm
 * code and interpreted JS by optimized code in every contender; slow runs (TensorFlow.js's cpu
 * convolutions take seconds) get fewer samples so the bench stays short. The PyTorch side gets
 * the same policy with its request.
 */
export const WARMUP_POLICY: WarmupPolicy = {
  timing: DEFAULT_TIMING,
  warmupMs: 300,
  maxWarmup: 50,
  mediumMs: 250,
  slowMs: 1000,
  slowMinSamples: 3,
};

/**
 * The policy for training steps: 2 s of warm-up instead of 0.3 s. A step runs a large JavaScript
 * graph around its kernels, and V8 keeps optimizing it well past 0.3 s; its background compiles
 * (some over 20 ms each) take the second core from the kernel threads while they last, so a LeNet-5
 * step timed after 50 warm-up steps gained 1.07–1.24× from a second kernel thread on the 2-vCPU VM,
 * 1.48× after 1000 (1.44× after 50 with `--no-concurrent-recompilation`).
 */
export const TRAINING_STEP_POLICY: WarmupPolicy = { ...WARMUP_POLICY, warmupMs: 2000, maxWarmup: 500 };

/** The policy for a workload of `kind`: the training steps' or the default one. */
export function policyFor(kind: string): WarmupPolicy {
  return kind === 'trainingStep' ? TRAINING_STEP_POLICY : WARMUP_POLICY;
}

/**
 * Timing options by the duration of the first (output-check) run, under `policy`; runs longer than
 * `mediumMs` are not primed (a wake-up is nothing beside them, and priming would double their cost).
 */
export function timingFor(firstRunMs: number, policy: WarmupPolicy = WARMUP_POLICY): TimingOptions {
  const { timing } = policy;
  if (firstRunMs > policy.slowMs)
    return { ...timing, warmup: 0, minSamples: policy.slowMinSamples, primed: false };
  if (firstRunMs > policy.mediumMs) return { ...timing, warmup: 1, primed: false };
  const warmup = Math.min(
    policy.maxWarmup,
    Math.max(timing.warmup, Math.ceil(policy.warmupMs / Math.max(firstRunMs, 1))),
  );
  return { ...timing, warmup };
}

/** One run function and how long to measure it, for `measureInterleaved`. */
export interface TimedRun {
  readonly run: () => unknown;
  readonly options: TimingOptions;
}

/**
 * Times several run functions in rounds, one sample of each unfinished one per round, so that a
 * slow spell of a shared machine hits every contender alike and their ratios stay meaningful.
 * Each is warmed up first (its own `warmup`), each timed run of a `primed` one follows an untimed
 * run of it, and each is finished once it has `minSamples` and either `maxSamples` or `budgetMs` of
 * its own timed runs.
 */
export function measureInterleaved(runs: readonly TimedRun[]): Timing[] {
  for (const { run, options } of runs) for (let i = 0; i < options.warmup; i++) run();
  const samples = runs.map(() => ({ times: [] as number[], cpuTimes: [] as number[], spentMs: 0 }));
  const finished = (k: number): boolean => {
    const { options } = runs[k]!;
    const { times, spentMs } = samples[k]!;
    return (
      times.length >= options.minSamples &&
      (times.length >= options.maxSamples || spentMs >= options.budgetMs)
    );
  };
  let pending = runs.map((_, k) => k);
  while (pending.length > 0) {
    for (const k of pending) {
      const sample = samples[k]!;
      if (runs[k]!.options.primed) runs[k]!.run();
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      runs[k]!.run();
      const ms = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      sample.times.push(ms);
      sample.cpuTimes.push((cpu.user + cpu.system) / 1000);
      sample.spentMs += ms;
    }
    pending = pending.filter((k) => !finished(k));
  }
  return samples.map(({ times, cpuTimes }) => ({
    medianMs: median(times),
    minMs: Math.min(...times),
    cpuMedianMs: median(cpuTimes),
    samples: times.length,
  }));
}

/** The median of a non-empty list (the mean of the middle two for an even count). */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
