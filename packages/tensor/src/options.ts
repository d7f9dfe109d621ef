import { ArgumentError } from './errors';

/**
 * Every key of an options type `T`, each mapped to `true`: the set of valid keys `checkOptions`
 * takes. Written as an object literal, the compiler refuses a missing or a misspelt key.
 */
export type OptionKeys<T> = { readonly [K in keyof T]-?: true };

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? `'${value}'` : String(value);
}

/**
 * Refuses an options object that is not a plain object, or that holds a key `keys` does not list
 * (a misspelt or foreign option such as `weight_decay` would otherwise be silently ignored).
 * `undefined` passes (every option at its default). The error names `context`, the bad key and the
 * valid ones.
 *
 * @example
 * checkOptions(options, { lr: true, momentum: true }, 'SGD');
 * // SGD: unknown option 'weight_decay'; valid options: lr, momentum
 */
export function checkOptions<T extends object>(
  options: T | undefined,
  keys: NoInfer<OptionKeys<T>>,
  context: string,
): void {
  if (options === undefined) return;
  const valid = Object.keys(keys);
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ArgumentError(
      `${context}: options is ${describe(options)}; expected an object with keys among ${valid.join(', ')}`,
    );
  }
  for (const key of Object.keys(options)) {
    if (!Object.hasOwn(keys, key)) {
      throw new ArgumentError(
        `${context}: unknown option '${key}'; valid options: ${valid.join(', ') || 'none'}`,
      );
    }
  }
}
