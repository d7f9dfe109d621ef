import { parseArgs } from 'node:util';

/** A bad command line of the epoch mode: the caller prints its message as one line and exits 2. */
export class EpochUsageError extends Error {}

/**
 * The batch sizes of `epoch [--batch 256,64]` (default 256 and 64). Refuses an unknown flag, a
 * stray argument and anything but positive integers separated by commas, naming the culprit.
 */
export function epochBatchSizes(argv: readonly string[]): number[] {
  let batch: string | undefined;
  try {
    batch = parseArgs({ args: [...argv], options: { batch: { type: 'string' } }, strict: true }).values.batch;
  } catch (error) {
    throw new EpochUsageError(`${(error as Error).message}; expected: epoch [--batch 256,64]`);
  }
  if (batch === undefined) return [256, 64];
  const sizes = batch.split(',').map((part) => (/^\d+$/.test(part) ? Number(part) : NaN));
  if (!sizes.every((n) => Number.isInteger(n) && n > 0)) {
    throw new EpochUsageError(
      `--batch ${batch}: expected positive integers separated by commas, e.g. 256,64`,
    );
  }
  return sizes;
}
