import { formatColumns } from '../text-table';
import type { EpochTiming } from './measure';

/** Training loop time over `steps` × the isolated step's median: 1 when the loop adds nothing. */
export function epochRatio(t: EpochTiming): number {
  return t.trainMs / (t.steps * t.step.medianMs);
}

/** The same with CPU times: the loop's CPU time over `steps` × the step's median CPU time. */
export function epochCpuRatio(t: EpochTiming): number {
  return t.trainCpuMs / (t.steps * t.step.cpuMedianMs);
}

const seconds = (ms: number): string => (ms / 1000).toFixed(2);

/**
 * One line per batch size: steps, the training loop's wall time, the isolated step's median (before
 * the epoch; after it, on its random batch and on MNIST images) and steps × the random one after, their ratio in wall and in CPU time, what part of the excess the data loading alone and the GC pauses
 * account for, and the test evaluation after the epoch (not in the ratio).
 */
export function formatEpochTable(timings: readonly EpochTiming[]): string {
  const header = [
    'batch',
    'steps',
    'epoch s',
    'step ms before',
    'step ms',
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
    t.step.medianMs.toFixed(2),
    t.mnistStep.medianMs.toFixed(2),
    seconds(t.steps * t.step.medianMs),
    `${epochRatio(t).toFixed(3)}x`,
    `${epochCpuRatio(t).toFixed(3)}x`,
    seconds(t.trainMs - t.steps * t.step.medianMs),
    seconds(t.loaderMs),
    seconds(t.trainGcMs),
    seconds(t.evalMs),
  ]);
  return formatColumns(header, lines);
}
