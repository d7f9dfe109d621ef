import type { EpochMetrics, RecordedLoss } from './records';

/** A loss as `metrics.jsonl` records it: finite numbers as they are, NaN and ±∞ by name. */
export function recordLoss(loss: number): RecordedLoss {
  if (Number.isFinite(loss)) return loss;
  return Number.isNaN(loss) ? 'NaN' : loss > 0 ? 'Infinity' : '-Infinity';
}

/**
 * An epoch's metrics with its losses recorded by `recordLoss` and `diverged: true` when one of them
 * is not finite.
 */
export function withDivergence(
  metrics: Omit<EpochMetrics, 'trainLoss' | 'testLoss' | 'diverged'> & {
    trainLoss: number | null;
    testLoss: number;
  },
): EpochMetrics {
  const losses = [metrics.trainLoss, metrics.testLoss].filter((l): l is number => l !== null);
  return {
    ...metrics,
    trainLoss: metrics.trainLoss === null ? null : recordLoss(metrics.trainLoss),
    testLoss: recordLoss(metrics.testLoss),
    ...(losses.every(Number.isFinite) ? {} : { diverged: true as const }),
  };
}

/** The first epoch of a run that diverged, or null when none did. */
export function divergedAt(metrics: readonly EpochMetrics[]): number | null {
  return metrics.find((m) => m.diverged === true)?.epoch ?? null;
}
