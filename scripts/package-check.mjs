// `pnpm check:packages`: publint and arethetypeswrong (attw) on every publishable package, both run on
// the tarball that `pnpm publish` would upload. One line per package and tool; exits 1 on any publint
// message (suggestions included) and on any attw problem under node10, node16 (from CJS and from ESM)
// and bundler resolution. Build first (`pnpm exec turbo run build --filter=./packages/*`); `pnpm release:dry`
// builds and then runs this.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { pack, publishablePackages, ROOT } from './lib/packages.mjs';

const ATTW = join(ROOT, 'node_modules/.bin/attw');

/** publint's messages for the packed package, formatted, or [] when there are none. */
async function publintProblems(tarball) {
  const bytes = readFileSync(tarball);
  const tarballBuffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const { messages, pkg: manifest } = await publint({
    pack: { tarball: tarballBuffer },
    level: 'suggestion',
    strict: true,
  });
  return messages.map((m) => `${m.type}: ${formatMessage(m, manifest, { color: false })}`);
}

/**
 * attw's verdict on the tarball: its entrypoints, the kinds of problem found (e.g. `FalseESM`) and,
 * when there are any, attw's own table of them.
 */
function attw(tarball) {
  const run = (format) => spawnSync(ATTW, [tarball, '--format', format, '--no-emoji'], { encoding: 'utf8' });
  const json = run('json');
  if (json.stdout === '') throw new Error(`attw printed nothing (exit ${json.status}): ${json.stderr}`);
  const { analysis } = JSON.parse(json.stdout);
  const kinds = [...new Set(analysis.problems.map((p) => p.kind))];
  return {
    entrypoints: Object.keys(analysis.entrypoints),
    kinds,
    details: kinds.length > 0 ? run('ascii').stdout.trim() : '',
  };
}

const work = mkdtempSync(join(tmpdir(), 'fbt-package-check-'));
let failed = 0;
try {
  for (const pkg of publishablePackages()) {
    const { filename } = pack(pkg, work);
    const lint = await publintProblems(filename);
    console.log(`publint ${pkg.name}: ${lint.length === 0 ? 'ok' : `FAILED, ${lint.length} message(s)`}`);
    for (const line of lint) console.log(`  ${line}`);
    const types = attw(filename);
    console.log(
      types.kinds.length === 0
        ? `attw    ${pkg.name}: ok, ${types.entrypoints.join(' ')} under node10, node16 (CJS, ESM), bundler`
        : `attw    ${pkg.name}: FAILED, ${types.kinds.join(', ')}`,
    );
    if (types.details !== '') console.log(types.details.replace(/^/gm, '  '));
    failed += (lint.length > 0) + (types.kinds.length > 0);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
if (failed > 0) {
  console.error(`package-check: ${failed} check(s) failed`);
  process.exit(1);
}
