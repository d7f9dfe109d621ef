import { InvalidArgumentError } from 'commander';
import { LIMITS } from '../limits';

/**
 * A commander parser of an integer flag in `1..max`, e.g. `intOption('--epochs', 10_000)`: digits
 * only (no `1e3`, no sign), refused with `--epochs must be a positive integer up to 10000`.
 */
export function intOption(name: string, max: number): (value: string) => number {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < 1 || n > max)
      throw new InvalidArgumentError(`${name} must be a positive integer up to ${max}`);
    return n;
  };
}

/** Parses `--attempts` (tries per queued job, at least 1). */
export const parseAttempts = intOption('--attempts', LIMITS.attempts);

/** Parses `--lr`: a positive number up to `LIMITS.lr`. */
export function learningRate(value: string): number {
  const n = Number(value);
  if (!(n > 0) || !(n <= LIMITS.lr) || value.trim() === '')
    throw new InvalidArgumentError(`--lr must be a positive number up to ${LIMITS.lr}`);
  return n;
}

/** Parses `--configs`: comma-separated config ids or patterns with `*`. */
export function configPatterns(value: string): string[] {
  const patterns = value.split(',').map((p) => p.trim());
  if (patterns.some((p) => !/^[A-Za-z0-9_.*-]+$/.test(p))) {
    throw new InvalidArgumentError(
      '--configs must be comma-separated config ids or patterns of letters, digits, . _ - and *, e.g. mnist-relu-*',
    );
  }
  return patterns;
}

/** Parses `--seeds`: distinct non-negative integers below 2^32, at most `LIMITS.seeds` of them. */
export function seedList(value: string): number[] {
  const parts = value.split(',');
  if (parts.some((p) => !/^\d+$/.test(p.trim()))) {
    throw new InvalidArgumentError(
      '--seeds must be a comma-separated list of non-negative integers, e.g. 0,1,2',
    );
  }
  const seeds = parts.map((p) => Number(p.trim()));
  if (seeds.some((s) => s > LIMITS.seed) || seeds.length > LIMITS.seeds) {
    throw new InvalidArgumentError(
      `--seeds must be at most ${LIMITS.seeds} seeds below 2^32 (larger seeds repeat smaller ones)`,
    );
  }
  if (new Set(seeds).size !== seeds.length) throw new InvalidArgumentError('--seeds lists a seed twice');
  return seeds;
}
