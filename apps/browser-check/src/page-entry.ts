/**
 * The browser bundle's entry: exposes `runChecks` as `window.__fbtRunChecks` for the test to call
 * with its input (see `test/browser.test.ts`).
 * @packageDocumentation
 */
import { runChecks } from './checks';

declare global {
  interface Window {
    /** Set by the bundle once it has loaded. */
    __fbtRunChecks?: typeof runChecks;
  }
}

window.__fbtRunChecks = runChecks;
