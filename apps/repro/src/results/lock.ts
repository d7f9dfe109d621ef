import { randomBytes } from 'node:crypto';
import { constants, existsSync, readFileSync, rmdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describeFsError, UsageError, WriteError } from '../errors';
import { isAlive, writeAll } from './atomic';
import { fileSystem } from './fs-layer';

/** The lock file at the top of a results folder while a command writes into it. */
export const LOCK_FILE = '.fbt-repro.lock';

/** What a lock file records about its holder. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  /** When the holder took the lock (ISO 8601). */
  readonly started: string;
  /** The command that holds it, e.g. `run` or `collect`. */
  readonly command: string;
}

function readHolder(path: string): LockHolder | null {
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockHolder> | null;
    if (
      typeof value?.pid === 'number' &&
      typeof value.host === 'string' &&
      typeof value.started === 'string' &&
      typeof value.command === 'string'
    )
      return value as LockHolder;
  } catch {
    // Unreadable or torn (its writer died while writing it): treated like a lock of unknown holder.
  }
  return null;
}

/** True when the holder is provably gone: a process of this host that no longer runs. */
function isStale(holder: LockHolder): boolean {
  return holder.host === hostname() && !isAlive(holder.pid);
}

/**
 * Creates the lock file, complete or not at all; false when it exists already. The holder is
 * written to a private file (created exclusively under an unpredictable name), which is then linked
 * to the lock's name: `link` fails when the name exists, and a process that finds the lock always
 * reads a whole holder, never the empty file between another's create and write.
 */
function tryCreate(path: string, holder: LockHolder): boolean {
  const fs = fileSystem();
  const own = `${path}.${process.pid}-${randomBytes(6).toString('hex')}`;
  let fd: number;
  try {
    fs.mkdir(join(path, '..'));
    fd = fs.open(
      own,
      constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0),
      0o644,
    );
  } catch (error) {
    throw new UsageError(`cannot create the lock file ${path}: ${describeFsError(error)}`);
  }
  try {
    try {
      writeAll(fs, fd, Buffer.from(`${JSON.stringify(holder)}\n`));
    } finally {
      fs.close(fd);
    }
  } catch (error) {
    fs.unlink(own);
    throw new WriteError(`cannot write ${path}: ${describeFsError(error)}`);
  }
  try {
    fs.link(own, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new UsageError(`cannot create the lock file ${path}: ${describeFsError(error)}`);
  } finally {
    fs.unlink(own);
  }
}

/**
 * Removes a stale lock file: it is first renamed to a private name (only one of several processes
 * recovering the same lock can do that), then deleted if it is still the stale holder's; a lock that
 * a live process took meanwhile is put back.
 */
function removeStale(path: string, stale: LockHolder): void {
  const fs = fileSystem();
  const aside = `${path}.stale-${randomBytes(6).toString('hex')}`;
  try {
    fs.rename(path, aside);
  } catch {
    return; // another process recovered it first
  }
  const moved = readHolder(aside);
  if (moved !== null && moved.pid === stale.pid && moved.started === stale.started) fs.unlink(aside);
  else fs.rename(aside, path);
}

function refusal(out: string, holder: LockHolder | null, path: string): UsageError {
  const who =
    holder === null
      ? 'another fbt-repro (its lock file cannot be read)'
      : `fbt-repro ${holder.command} (pid ${holder.pid} on ${holder.host}, since ${holder.started})`;
  return new UsageError(
    `${out} is being written by ${who}; one writer per results folder: wait for it to finish, or delete ${path} if that process is gone`,
  );
}

/**
 * Takes the results folder `out` for this process (`command` names it in the lock), creating the
 * folder if needed (and removing it on release if it is still empty): one writer per folder. The lock file `<out>/.fbt-repro.lock` is created
 * exclusively and holds the pid, host and start time. A lock whose process is gone (same host,
 * pid not running: a crash or SIGKILL) is recovered; any other is refused with a UsageError naming
 * its holder. Returns the release function, which also runs when the process exits (also through
 * `process.exit`, as Ctrl-C of a run on worker threads does). A signal that ends the process at once
 * (Ctrl-C or SIGTERM while a run trains in the main thread: a handler could only run after the run,
 * SIGKILL, a crash) leaves the lock file behind, and the next writer recovers it since its process is
 * gone: no signal handler delays the stop.
 */
export function lockResults(out: string, command: string): () => void {
  const path = join(out, LOCK_FILE);
  const holder: LockHolder = {
    pid: process.pid,
    host: hostname(),
    started: new Date().toISOString(),
    command,
  };
  const created = !existsSync(out);
  while (!tryCreate(path, holder)) {
    const found = readHolder(path);
    if (found === null || !isStale(found)) throw refusal(out, found, path);
    removeStale(path, found);
  }
  let held = true;
  const release = (): void => {
    if (!held) return;
    held = false;
    process.off('exit', release);
    if (readHolder(path)?.pid === process.pid) fileSystem().unlink(path);
    // A folder made only to hold the lock (the command was refused before writing) goes too.
    if (created)
      try {
        rmdirSync(out);
      } catch {
        // it holds results
      }
  };
  process.on('exit', release);
  return release;
}

/** Runs `work` holding the lock of `out` (see `lockResults`), released when it settles. */
export async function withResultsLock<T>(out: string, command: string, work: () => Promise<T>): Promise<T> {
  const release = lockResults(out, command);
  try {
    return await work();
  } finally {
    release();
  }
}
