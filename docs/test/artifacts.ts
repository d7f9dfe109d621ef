import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the docs' browser tests save screenshots for a person to look at: `$FBT_ARTIFACTS_DIR`, or
 * `artifacts/docs/` at the repository root (git-ignored).
 */
export const ARTIFACTS: string =
  process.env.FBT_ARTIFACTS_DIR ??
  join(fileURLToPath(new URL('../..', import.meta.url)), 'artifacts', 'docs');
