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

/**
 * Per-test timeout (ms) of layer tests on the gpu backend. Each GL kernel compiles on its first use
 * (shapes are baked into the shader), and on software GL (Mesa's llvmpipe under Xvfb) a test that
 * compiles a few dozen kernels takes well over vitest's default 5 s; later runs hit the cache.
 */
export const GL_TEST_TIMEOUT_MS = 60_000;

/** vitest options of a test on `backend`: `GL_TEST_TIMEOUT_MS` on 'gpu', vitest's default elsewhere. */
export function backendTestOptions(backend: string): { timeout?: number } {
  return backend === 'gpu' ? { timeout: GL_TEST_TIMEOUT_MS } : {};
}
