import { FbtError } from '@fbt/tensor';

/**
 * Bad command-line input or a bad experiment config: an unknown flag, experiment or rule, a malformed
 * value, missing data. The CLI prints the message as one line and exits with code 2 before writing anything.
 */
export class UsageError extends FbtError {}

/**
 * A file of the results could not be written (a full disk, a quota, an I/O error, a read-only file
 * system, a permission): the message names the file and the reason. Nothing half-written is left in
 * its place. The CLI prints the message as one line and exits with code 1.
 */
export class WriteError extends FbtError {}

/** What the file-system error codes a writer meets mean, for the one line the CLI prints. */
const ERROR_CODES: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EIO: 'input/output error',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  EEXIST: 'a file of that name appeared meanwhile',
  ELOOP: 'a symbolic link is in the way',
};

/** A file-system error as `no space left on the device (ENOSPC)`. */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === undefined) return error instanceof Error ? error.message : String(error);
  return `${ERROR_CODES[code] ?? 'file-system error'} (${code})`;
}
