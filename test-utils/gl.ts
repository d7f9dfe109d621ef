/*
 * Test-only: whether the gpu backend's GL device is there, for the tests that check their kernels,
 * layers or runs on the gpu backend. It takes `glAvailability()` from the caller, so this file
 * imports nothing and every package can include it.
 */

/** What `@fbt/gpu`'s `glAvailability()` reports. */
export interface GlReport {
  readonly available: boolean;
  readonly reason?: string | null;
}

/**
 * Whether a GL device is available for gpu tests: outside CI a missing device skips the gpu part
 * with the printed reason; with CI=true it must run, so a missing device throws (run the tests
 * under `xvfb-run -a`).
 *
 * @example
 * const GL = glAvailable('recurrent-torch test (gpu backend)', glAvailability());
 */
export function glAvailable(testName: string, gl: GlReport): boolean {
  if (gl.available) return true;
  const message = `${testName}: no GL device (${gl.reason ?? 'unknown reason'})`;
  if (process.env.CI === 'true') throw new Error(`${message}; CI=true requires it (run under xvfb-run -a)`);
  console.warn(`${message}; skipping`);
  return false;
}
