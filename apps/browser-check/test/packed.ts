import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoPath } from './bundle';

/**
 * Packs the six packages as `pnpm publish` would and installs the tarballs with npm into a fresh
 * project outside the workspace (`scripts/consumer/install-packed.sh`, which the consumer matrix
 * uses too); resolves with that project's folder. The packages must be built.
 */
export async function installPackedPackages(): Promise<string> {
  const work = mkdtempSync(join(tmpdir(), 'fbt-browser-check-'));
  try {
    await promisify(execFile)('bash', [repoPath('scripts/consumer/install-packed.sh'), work], {
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const { stderr = '', stdout = '' } = error as { stderr?: string; stdout?: string };
    throw new Error(`packing and installing the packages failed (are they built?):\n${stdout}${stderr}`, {
      cause: error,
    });
  }
  return join(work, 'project');
}
