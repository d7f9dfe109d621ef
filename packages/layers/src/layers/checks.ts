import { ArgumentError } from '@fbt/tensor';

/** Throws an `ArgumentError` naming `op` unless `value` is a positive integer. */
export function assertPositiveInt(value: number, name: string, op: string): void {
  if (!Number.isInteger(value) || value < 1)
    throw new ArgumentError(`${op}: ${name}=${value}; expected a positive integer`);
}

/** A size given as one number or a `[height, width]` pair. */
export type Size2 = number | readonly [number, number];

/** Expands a `Size2` into `[h, w]`, checking that both are integers >= `min`. */
export function pair(value: Size2, name: string, op: string, min: number): [number, number] {
  const [h, w] = typeof value === 'number' ? [value, value] : value;
  if (!Number.isInteger(h) || !Number.isInteger(w) || h < min || w < min) {
    throw new ArgumentError(
      `${op}: ${name}=${JSON.stringify(value)}; expected an integer >= ${min} or a pair of them`,
    );
  }
  return [h, w];
}

/** Throws an `ArgumentError` naming `op` unless `value` is undefined (the default) or a boolean. */
export function assertOptionalBoolean(value: unknown, name: string, op: string): void {
  if (value !== undefined && typeof value !== 'boolean')
    throw new ArgumentError(`${op}: ${name}=${String(value)}; expected true or false`);
}
