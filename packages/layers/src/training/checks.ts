import { ArgumentError } from '@fbt/tensor';

/** A value as the one-line messages of `fit` and `evaluate` show it. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object') return `an object (${value.constructor?.name ?? 'no prototype'})`;
  return typeof value === 'string' ? `'${value}'` : String(value);
}

/** Throws unless `value` is a function (or undefined when `optional`), naming `name` and `expected`. */
export function assertFunction(
  value: unknown,
  name: string,
  expected: string,
  op: string,
  optional = false,
): void {
  if (typeof value === 'function' || (optional && value === undefined)) return;
  throw new ArgumentError(`${op}: ${name} is ${describeValue(value)}; expected ${expected}`);
}

/** Throws unless `value` can be iterated (an array, a `DataLoader`, a generator), naming `name`. */
export function assertIterable(value: unknown, name: string, op: string): void {
  const iterable =
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<Iterable<unknown>>)[Symbol.iterator] === 'function';
  if (!iterable) {
    throw new ArgumentError(
      `${op}: ${name} is ${describeValue(value)}; expected an iterable of { x, y } batches (an array, a DataLoader)`,
    );
  }
}

/**
 * Throws unless `value` is an instance of the class `type` (a `Module`, an `Optimizer`: classes
 * whose constructors may be protected), naming `name`.
 */
export function assertInstance(
  value: unknown,
  type: { readonly prototype: object; readonly name: string },
  name: string,
  op: string,
): void {
  if (
    typeof value === 'object' &&
    value !== null &&
    Object.prototype.isPrototypeOf.call(type.prototype, value)
  )
    return;
  const article = /^[AEIOU]/.test(type.name) ? 'an' : 'a';
  throw new ArgumentError(`${op}: ${name} is ${describeValue(value)}; expected ${article} ${type.name}`);
}
