import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'vitest';

/**
 * Why a small tmpfs cannot be mounted in a private mount namespace here (`unshare -m` needs root
 * or CAP_SYS_ADMIN, which containers such as CI's usually lack), or null when it can.
 */
function tmpfsUnavailable(): string | null {
  const dir = mkdtempSync(join(tmpdir(), 'fbt-tmpfs-probe-'));
  const probe = spawnSync(
    'unshare',
    ['-m', '--propagation', 'private', 'sh', '-c', `mount -t tmpfs -o size=64k tmpfs '${dir}'`],
    { encoding: 'utf8' },
  );
  if (probe.error !== undefined) return `unshare cannot be run (${probe.error.message})`;
  if (probe.status !== 0) return `cannot mount a tmpfs in a mount namespace: ${probe.stderr.trim()}`;
  return null;
}

const unavailable = tmpfsUnavailable();

/**
 * `describe` for tests that fill a real tmpfs mounted in a private mount namespace (invisible to
 * every other process); skipped with the reason printed where that is not permitted. The same
 * faults are also injected through the writers' file-system layer, which runs everywhere.
 */
export function describeTmpfs(name: string, body: () => void): void {
  if (unavailable === null) describe(name, body);
  else {
    console.log(`skipping "${name}": ${unavailable}`);
    describe.skip(name, body);
  }
}

/**
 * Runs the shell `script` in a private mount namespace after mounting a tmpfs of `size` (e.g.
 * `2m`) at `dir`, which the script sees as `$T`; returns its exit status and output.
 */
export function inTmpfs(
  dir: string,
  size: string,
  script: string,
  env: Record<string, string> = {},
): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(
    'unshare',
    ['-m', '--propagation', 'private', 'sh', '-c', `mount -t tmpfs -o size=${size} tmpfs "$T" && ${script}`],
    { encoding: 'utf8', env: { ...process.env, ...env, T: dir } },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
