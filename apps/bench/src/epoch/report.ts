import { formatColumns } from '../text-table';
import type { EpochTiming } from './measure';

/** The isolated step's median wall time: the mean of the medians just before and just after the epoch. */
export function stepMs(t: EpochTiming): number {
  return (t.stepBefore.medianMs + t.stepAfter.medianMs) / 2;
}

/** Training loop time over `steps` × `stepMs`: 1 when the loop adds nothing to its steps. */
export function epochRatio(t: EpochTiming): number {
  return t.trainMs / (t.steps * stepMs(t));
}

/** The same in CPU time: the loop's CPU time over `steps` × the step's median CPU time (before and after). */
export function epochCpuRatio(t: EpochTiming): number {
  return t.trainCpuMs / ((t.steps * (t.stepBefore.cpuMedianMs + t.stepAfter.cpuMedianMs)) / 2);
}

const seconds = (ms: number): string => (ms / 1000).toFixed(2);

/**
 * One line per batch size: steps, the training loop's wall time, the isolated step's median (just
 * before and just after the epoch, and on MNIST images), steps × `stepMs`, their ratio in wall and
 * in CPU time, the excess, what the data loading alone and the GC pauses in the loop took, and the
 * test evaluation after the epoch (not in the ratio).
 */
export function formatEpochTable(timings: readonly EpochTiming[]): string {
  const header = [
    'batch',
    'steps',
    'epoch s',
    'step ms before',
    'step ms after',
    'MNIST step ms',
    'steps×step s',
    'epoch ÷ (steps×step)',
    'same in CPU time',
    'excess s',
    'loader-only s',
    'GC in epoch s',
    'eval s',
  ];
  const lines = timings.map((t) => [
    String(t.batchSize),
    String(t.steps),
    seconds(t.trainMs),
    t.stepBefore.medianMs.toFixed(2),
    t.stepAfter.medianMs.toFixed(2),
    t.mnistStep.medianMs.toFixed(2),
    seconds(t.steps * stepMs(t)),
    `${epochRatio(t).toFixed(3)}x`,
    `${epochCpuRatio(t).toFixed(3)}x`,
    seconds(t.trainMs - t.steps * stepMs(t)),
    seconds(t.loaderMs),
    seconds(t.trainGcMs),
    seconds(t.evalMs),
  ]);
  return formatColumns(header, lines);
}
