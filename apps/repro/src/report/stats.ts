import type { EpochMetrics } from '../results/records';

/** Arithmetic mean (NaN for no values). */
export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

/** Sample standard deviation (n − 1 in the denominator); 0 for a single value, NaN for none. */
export function std(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  if (values.length === 1) return 0;
  const m = mean(values);
  let s = 0;
  for (const v of values) s += (v - m) * (v - m);
  return Math.sqrt(s / (values.length - 1));
}

/** The trained epochs (epoch ≥ 1) of a run's metrics. */
function trained(metrics: readonly EpochMetrics[]): readonly EpochMetrics[] {
  return metrics.filter((m) => m.epoch >= 1);
}

/** Test accuracy after the last epoch. */
export function finalAccuracy(metrics: readonly EpochMetrics[]): number {
  return metrics[metrics.length - 1]?.testAccuracy ?? Number.NaN;
}

/** Highest test accuracy over the trained epochs. */
export function bestAccuracy(metrics: readonly EpochMetrics[]): number {
  return Math.max(...trained(metrics).map((m) => m.testAccuracy));
}

/** Test accuracy of the untrained model (epoch 0). */
export function initialAccuracy(metrics: readonly EpochMetrics[]): number {
  return metrics[0]?.testAccuracy ?? Number.NaN;
}

/** First epoch (≥ 1) whose test accuracy reaches 90 % of the final test accuracy. */
export function epochsTo90(metrics: readonly EpochMetrics[]): number {
  const target = 0.9 * finalAccuracy(metrics);
  const hit = trained(metrics).find((m) => m.testAccuracy >= target);
  return hit?.epoch ?? Number.NaN;
}

/** Mean wall-clock seconds per trained epoch. */
export function secondsPerEpoch(metrics: readonly EpochMetrics[]): number {
  return mean(trained(metrics).map((m) => m.seconds));
}
