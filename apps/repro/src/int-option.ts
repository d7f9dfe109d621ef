import { InvalidArgumentError } from 'commander';

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
