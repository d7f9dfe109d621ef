/**
 * Returns the process-wide singleton stored under `name`, creating it once. Kept on `globalThis`
 * so that two copies of @fbt/tensor in one process (an ESM and a CJS build, say) share one engine
 * and one kernel registry instead of silently diverging.
 */
export function globalSingleton<T>(name: string, create: () => T): T {
  const store = globalThis as unknown as Record<symbol, T | undefined>;
  const sym = Symbol.for(`@fbt/tensor:${name}`);
  let value = store[sym];
  if (value === undefined) {
    value = create();
    store[sym] = value;
  }
  return value;
}
