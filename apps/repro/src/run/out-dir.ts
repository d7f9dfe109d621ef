import { accessSync, constants, lstatSync, readlinkSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../errors';
import { reportPath } from '../results/layout';

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? 'error';
}

/** Whether `path` exists, following links; a dangling symbolic link is refused, naming its target. */
function exists(out: string, path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch (error) {
    if (!['ENOENT', 'ENOTDIR'].includes(errorCode(error))) throw error;
  }
  let isLink = false;
  try {
    isLink = lstatSync(path).isSymbolicLink();
  } catch {
    // not there at all
  }
  if (isLink)
    throw new UsageError(
      `--out ${out}: ${path} is a symbolic link to ${readlinkSync(path)}, which does not exist; expected a folder (or a path inside one)`,
    );
  return false;
}

/**
 * Checks, before any work and without creating anything, that `out` can hold results: not empty,
 * a writable directory, or a path whose nearest existing ancestor is a writable directory (a
 * dangling symbolic link on the way is refused), and whose REPORT.md, if any, is a file.
 */
export function checkOutDir(out: string): void {
  if (out.trim() === '') throw new UsageError('--out is empty; expected a folder path');
  let path = resolve(out);
  try {
    while (!exists(out, path) && dirname(path) !== path) path = dirname(path);
    if (!statSync(path).isDirectory())
      throw new UsageError(`--out ${out}: ${path} is a file; expected a folder (or a path inside one)`);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`--out ${out}: cannot use ${path} (${errorCode(error)})`);
  }
  checkWritable(`--out ${out}`, path);
  checkReportFile(`--out ${out}`, resolve(out));
}

/** Refuses a folder this process cannot create files in (permissions, a read-only file system). */
function checkWritable(what: string, dir: string): void {
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw new UsageError(`${what}: cannot write in ${dir} (${errorCode(error)})`);
  }
}

/** Refuses a REPORT.md in `dir` that is not a file (a folder of that name), which the report could not replace. */
function checkReportFile(what: string, dir: string): void {
  const report = reportPath(dir);
  let isFile = true;
  try {
    isFile = statSync(report).isFile();
  } catch {
    // no report yet
  }
  if (!isFile) throw new UsageError(`${what}: ${report} is not a file; the report cannot be written there`);
}

/** Checks, before rendering, that the report of the results folder `dir` can be written: `dir` and its REPORT.md. */
export function checkReportTarget(dir: string): void {
  checkWritable('report', dir);
  checkReportFile('report', dir);
}
