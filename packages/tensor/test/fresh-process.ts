import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';

/**
 * Bundles this package's sources into one ES module in a new temporary folder, for scripts that
 * must run in a Node process of their own (process-wide state: V8 flags, threads left at exit).
 * Returns the bundle's path.
 */
export function bundlePackage(): string {
  const bundle = join(mkdtempSync(join(tmpdir(), 'fbt-tensor-')), 'tensor.mjs');
  buildSync({
    entryPoints: [join(import.meta.dirname, '../src/index.ts')],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    outfile: bundle,
    logLevel: 'silent',
  });
  return bundle;
}

/** Runs `body` (after importing `bundle` as `t`) in a new Node process with `env` added; 60 s at most. */
export function runInNode(
  bundle: string,
  body: string,
  env: Record<string, string> = {},
): SpawnSyncReturns<string> {
  const script = join(bundle, '..', `main-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(script, `import * as t from ${JSON.stringify(bundle)};\n${body}\n`);
  return spawnSync(process.execPath, [script], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, ...env },
  });
}
