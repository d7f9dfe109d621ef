import { beforeAll, describe, expect, it } from 'vitest';
import { bundlePackage, runInNode } from './fresh-process';

/*
 * enableRelaxedSimd sets a process-wide V8 flag, so each case runs in a Node process of its own
 * (this one has the flag already: wasm-helpers sets it for the other wasm tests).
 */
describe('enableRelaxedSimd', () => {
  let bundle = '';
  beforeAll(() => {
    bundle = bundlePackage();
  });

  /** Prints, as JSON: relaxed SIMD before, the status, relaxed SIMD after, the second call's status, the module `wasm` loads. */
  const report =
    `const before = t.wasmRelaxedSimdSupported();\n` +
    `const status = t.enableRelaxedSimd();\n` +
    `const after = t.wasmRelaxedSimdSupported();\n` +
    `const again = t.enableRelaxedSimd();\n` +
    `t.withBackend('wasm', () => t.add(t.ones([2]), t.ones([2])).dataSync());\n` +
    `console.log(JSON.stringify([before, status, after, again, t.engine().findBackend('wasm').moduleVariant]));`;

  it('makes the wasm backend load the relaxed-SIMD module, through the V8 flag where the engine keeps it behind one', () => {
    const run = runInNode(bundle, report);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const [before, status, after, again, variant] = JSON.parse(run.stdout) as [
      boolean,
      string,
      boolean,
      string,
      string,
    ];
    // Node 20: off, then enabled by the flag; Node 22+: on by default, nothing to do.
    expect(status).toBe(before ? 'default' : 'enabled');
    expect(after).toBe(true);
    expect(again).toBe('default');
    expect(variant).toBe('relaxedSimd');
  });

  it('leaves a wasm backend that already loaded the plain module on it', () => {
    const run = runInNode(
      bundle,
      `const before = t.wasmRelaxedSimdSupported();\n` +
        `t.withBackend('wasm', () => t.add(t.ones([2]), t.ones([2])).dataSync());\n` +
        `t.enableRelaxedSimd();\n` +
        `t.withBackend('wasm', () => t.add(t.ones([2]), t.ones([2])).dataSync());\n` +
        `console.log(JSON.stringify([before, t.engine().findBackend('wasm').moduleVariant]));`,
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const [before, variant] = JSON.parse(run.stdout) as [boolean, string];
    expect(variant).toBe(before ? 'relaxedSimd' : 'simd');
  });
});
