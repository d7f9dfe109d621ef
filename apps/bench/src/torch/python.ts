import { spawnSync } from 'node:child_process';

/** Runs `python -c code` and returns its exit status and output (a seam for tests). */
export type RunPython = (python: string, code: string) => { status: number | null; stdout: string };

/** A Python that imports torch, or why none was found. */
export type TorchPython =
  | { readonly found: true; readonly python: string; readonly torchVersion: string }
  | { readonly found: false; readonly reason: string };

const runPython: RunPython = (python, code) => {
  const result = spawnSync(python, ['-c', code], { encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout ?? '' };
};

/** The environment variable that names the Python with torch. */
export const PYTHON_ENV = 'FBT_PYTHON';

/**
 * The Pythons to try, in order: `$FBT_PYTHON` when set, `python3` on the PATH, then
 * `/usr/bin/python3` (a distribution's torch, e.g. Debian's `python3-torch`, lives there while
 * `python3` on the PATH may be a pyenv or venv one without it). Duplicates are dropped.
 */
export function pythonCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const fromEnv = env[PYTHON_ENV];
  return [...new Set([...(fromEnv ? [fromEnv] : []), 'python3', '/usr/bin/python3'])];
}

/**
 * The first candidate for which `import torch` works, with torch's version; otherwise one line
 * saying what was tried. Never throws: a missing Python is a reason like any other.
 */
export function findTorchPython(candidates: readonly string[], run: RunPython = runPython): TorchPython {
  for (const python of candidates) {
    const { status, stdout } = run(python, 'import torch; print(torch.__version__)');
    if (status === 0) return { found: true, python, torchVersion: stdout.trim() };
  }
  return { found: false, reason: `no Python with torch among ${candidates.join(', ')} (set ${PYTHON_ENV})` };
}
