import { randomBytes } from 'node:crypto';
import { constants, readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describeFsError, WriteError } from '../errors';
import { fileSystem, type FileSystem } from './fs-layer';

/** Names of the temporary siblings `writeFileAtomic` writes: `<file>.tmp-<pid>-<random hex>`. */
const TEMP_NAME = /\.tmp-(\d+)-[0-9a-f]+$/;

/**
 * Flags of a temporary file: created by this call or not at all (O_EXCL: an existing file or a
 * planted symbolic link of that name is an error, never followed), and never through a link
 * (O_NOFOLLOW, where the platform has it).
 */
const TEMP_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);

/** A fresh temporary name next to `path`: `<file>.tmp-<pid>-<12 random hex digits>`, unpredictable. */
function tempName(path: string): string {
  return join(dirname(path), `${basename(path)}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
}

/** Flushes a directory's entries (a rename) to disk; a no-op where directories cannot be opened (Windows). */
function syncDirectory(fs: FileSystem, dir: string): void {
  let fd: number;
  try {
    fd = fs.open(dir, constants.O_RDONLY, 0);
  } catch {
    return;
  }
  try {
    fs.fsync(fd);
  } catch {
    // Some file systems refuse fsync on a directory; the rename itself has happened.
  } finally {
    fs.close(fd);
  }
}

/** Writes every byte of `bytes` to `fd`, looping over short writes; a write that makes no progress is ENOSPC. */
export function writeAll(fs: FileSystem, fd: number, bytes: Uint8Array): void {
  for (let offset = 0; offset < bytes.length;) {
    const written = fs.write(fd, bytes, offset, bytes.length - offset);
    if (!(written > 0)) throw Object.assign(new Error('the write made no progress'), { code: 'ENOSPC' });
    offset += written;
  }
}

/**
 * Writes `content` to `path` so that readers, a Ctrl-C, a kill, a full disk or an I/O error only
 * ever leave the old file or the whole new one: the bytes go to a temporary sibling (opened
 * exclusively under an unpredictable name, never through a symbolic link), written to the last
 * byte, then renamed over `path`. Parent directories are created as needed. With `durable` (the
 * default) the file is also flushed to disk (fsync) before the rename and the directory after it, so
 * that a power cut cannot leave an empty file either; a writer that rewrites a file many times (a
 * run's metrics after every epoch) passes `durable: false` for all but the last version, since each
 * flush costs milliseconds. Any failure is a `WriteError` naming `path` and the reason; the
 * temporary file is removed and `path` is untouched.
 */
export function writeFileAtomic(path: string, content: string, options: { durable?: boolean } = {}): void {
  const durable = options.durable ?? true;
  const fs = fileSystem();
  const temp = tempName(path);
  let created = false;
  try {
    fs.mkdir(dirname(path));
    const fd = fs.open(temp, TEMP_FLAGS, 0o644);
    created = true;
    try {
      writeAll(fs, fd, Buffer.from(content, 'utf8'));
      if (durable) fs.fsync(fd);
    } finally {
      fs.close(fd);
    }
    fs.rename(temp, path);
  } catch (error) {
    if (created) {
      try {
        fs.unlink(temp);
      } catch {
        // Already gone (renamed or removed): nothing of this write is left.
      }
    }
    throw new WriteError(`cannot write ${path}: ${describeFsError(error)}`);
  }
  if (durable) syncDirectory(fs, dirname(path));
}

/** True when a process with this id exists (it may belong to another user). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Deletes the temporary files in `dir` that a killed writer left behind (`*.tmp-<pid>-<hex>` whose
 * process is gone); those of live processes are kept. Returns the names it deleted.
 */
export function sweepStaleTemps(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const stale = names.filter((name) => {
    const match = TEMP_NAME.exec(name);
    return match !== null && !isAlive(Number(match[1]));
  });
  for (const name of stale) rmSync(join(dir, name), { force: true });
  return stale;
}
