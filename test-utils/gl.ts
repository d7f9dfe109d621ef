import { glAvailability } from '@fbt/gpu';

/*
 * Test-only: whether the gpu backend's GL device is there. Shared by the tests of packages that
 * check their layers on the gpu backend (packages/layers/test/recurrent-torch.test.ts).
 */

/**
 * Whether a GL device is available for gpu tests (@fbt/gpu's `glAvailability`): outside CI a
 * missing device skips the gpu part with the printed reason; with CI=true it must run, so a
 * missing device throws (run the tests under `xvfb-run -a`).
 */
export function glAvailable(testName: string): boolean {
  const gl = glAvailability();
  if (gl.available) return true;
  const message = `${testName}: no GL device (${gl.reason})`;
  if (process.env.CI === 'true') throw new Error(`${message}; CI=true requires it (run under xvfb-run -a)`);
  console.warn(`${message}; skipping`);
  return false;
}
