import { glAvailability } from '@fbt/gpu';

/**
 * Whether a GL device is available for gpu tests (@fbt/gpu's `glAvailability`, as its own tests use):
 * outside CI a missing device skips the test with the printed reason; with CI=true the test must
 * run, so a missing device throws (run it under `xvfb-run -a`).
 */
export function glAvailable(testName: string): boolean {
  const gl = glAvailability();
  if (gl.available) return true;
  const message = `${testName}: no GL device (${gl.reason})`;
  if (process.env.CI === 'true') throw new Error(`${message}; CI=true requires it (run under xvfb-run -a)`);
  console.warn(`${message}; skipping`);
  return false;
}
