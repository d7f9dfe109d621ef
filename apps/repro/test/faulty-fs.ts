import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { NODE_FILE_SYSTEM, useFileSystem, type FileSystem } from '../src/results/fs-layer';

/** What goes wrong in a `faultyFs`. */
export interface Faults {
  /** Bytes the disk still takes: writes beyond are cut short, then fail with ENOSPC. */
  readonly freeBytes?: number;
  /** Most bytes one write call takes (short writes that do succeed). */
  readonly writeChunk?: number;
  /** A call that fails with `code`, for paths matching `path` (every path when absent). */
  readonly fail?: { readonly call: keyof FileSystem; readonly code: string; readonly path?: RegExp };
}

function errno(code: string, call: string, path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${call} '${path}'`), { code });
}

/**
 * Node's file system with faults: a disk that fills after `freeBytes` (the last write cut short,
 * the next one ENOSPC, as the kernel does), short writes, or one call that fails with an error code.
 */
export function faultyFs(faults: Faults): FileSystem {
  let free = faults.freeBytes ?? Number.POSITIVE_INFINITY;
  const paths = new Map<number, string>();
  const check = (call: keyof FileSystem, path: string): void => {
    const f = faults.fail;
    if (f !== undefined && f.call === call && (f.path === undefined || f.path.test(path)))
      throw errno(f.code, call, path);
  };
  return {
    mkdir: (path) => {
      check('mkdir', path);
      NODE_FILE_SYSTEM.mkdir(path);
    },
    open: (path, flags, mode) => {
      check('open', path);
      const fd = NODE_FILE_SYSTEM.open(path, flags, mode);
      paths.set(fd, path);
      return fd;
    },
    write: (fd, buffer, offset, length) => {
      const path = paths.get(fd) ?? '?';
      check('write', path);
      if (free <= 0) throw errno('ENOSPC', 'write', path);
      const n = Math.min(length, free, faults.writeChunk ?? length);
      free -= n;
      return NODE_FILE_SYSTEM.write(fd, buffer, offset, n);
    },
    fsync: (fd) => {
      check('fsync', paths.get(fd) ?? '?');
      NODE_FILE_SYSTEM.fsync(fd);
    },
    close: (fd) => {
      paths.delete(fd);
      NODE_FILE_SYSTEM.close(fd);
    },
    rename: (from, to) => {
      check('rename', to);
      NODE_FILE_SYSTEM.rename(from, to);
    },
    link: (from, to) => {
      check('link', to);
      NODE_FILE_SYSTEM.link(from, to);
    },
    unlink: (path) => NODE_FILE_SYSTEM.unlink(path),
  };
}

/** Runs `work` with the writers on `faultyFs(faults)`, restoring Node's file system afterwards. */
export async function withFaults<T>(faults: Faults, work: () => Promise<T> | T): Promise<T> {
  const restore = useFileSystem(faultyFs(faults));
  try {
    return await work();
  } finally {
    restore();
  }
}

/** SHA-256 of every file under `dir` (relative path → hex digest), to show that files are byte-identical. */
export function hashTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string): void => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const path = join(rel, name);
      if (statSync(join(dir, path)).isDirectory()) walk(path);
      else
        out.set(
          path,
          createHash('sha256')
            .update(readFileSync(join(dir, path)))
            .digest('hex'),
        );
    }
  };
  walk('');
  return out;
}

/** The entries of `after` whose path is in `before`: what became of the files that were there. */
export function sameFiles(
  before: Map<string, string>,
  after: Map<string, string>,
): Map<string, string | undefined> {
  return new Map([...before.keys()].map((path) => [path, after.get(path)]));
}
