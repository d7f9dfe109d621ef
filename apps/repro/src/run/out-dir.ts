import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../errors';

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? 'error';
}

/**
 * Checks, before any work and without creating anything, that `out` can hold results: not empty,
 * a writable directory, or a path whose nearest existing ancestor is a writable directory.
 */
export function checkOutDir(out: string): void {
  if (out.trim() === '') throw new UsageError('--out is empty; expected a folder path');
  let path = resolve(out);
  for (;;) {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch (error) {
      if (['ENOENT', 'ENOTDIR'].includes(errorCode(error)) && dirname(path) !== path) {
        path = dirname(path);
        continue;
      }
      throw new UsageError(`--out ${out}: cannot use ${path} (${errorCode(error)})`);
    }
    if (!isDirectory)
      throw new UsageError(`--out ${out}: ${path} is a file; expected a folder (or a path inside one)`);
    try {
      accessSync(path, constants.W_OK | constants.X_OK);
    } catch (error) {
      throw new UsageError(`--out ${out}: cannot write in ${path} (${errorCode(error)})`);
    }
    return;
  }
}
