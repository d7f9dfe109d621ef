import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';

let counter = 0;

/** Names of the temporary siblings `writeFileAtomic` writes: `<file>.tmp-<pid>-<n>`. */
const TEMP_NAME = /\.tmp-(\d+)-\d+$/;

/** Flushes a directory's entries (a rename) to disk; a no-op where directories cannot be opened (Windows). */
function syncDirectory(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, 'r');
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on a directory; the rename itself has happened.
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes `content` to `path` so that readers and a Ctrl-C or kill only ever see the old file or the
 * whole new one: the bytes go to a temporary sibling, which is then renamed over `path`. Parent
 * directories are created as needed. With `durable` (the default) the file is also flushed to disk
 * (fsync) before the rename and the directory after it, so that a power cut cannot leave an empty
 * file either; a writer that rewrites a file many times (a run's metrics after every epoch) passes
 * `durable: false` for all but the last version, since each flush costs milliseconds.
 */
export function writeFileAtomic(path: string, content: string, options: { durable?: boolean } = {}): void {
  const durable = options.durable ?? true;
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.tmp-${process.pid}-${counter++}`;
  try {
    const fd = openSync(temp, 'w');
    try {
      writeSync(fd, content);
      if (durable) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  if (durable) syncDirectory(dirname(path));
}

/** True when a process with this id exists (it may belong to another user). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Deletes the temporary files in `dir` that a killed writer left behind (`*.tmp-<pid>-<n>` whose
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
