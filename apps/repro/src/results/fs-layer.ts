import * as fs from 'node:fs';

/**
 * The file-system calls every writer of results goes through (`writeFileAtomic`, the folder lock).
 * Node's own by default; a test replaces it (`useFileSystem`) to return short writes, ENOSPC or EIO.
 */
export interface FileSystem {
  mkdir(path: string): void;
  /** Opens `path` with numeric `flags` (O_*) and `mode`; returns the descriptor. */
  open(path: string, flags: number, mode: number): number;
  /** Writes from `buffer[offset, offset + length)`; returns the bytes written (possibly fewer). */
  write(fd: number, buffer: Uint8Array, offset: number, length: number): number;
  fsync(fd: number): void;
  close(fd: number): void;
  rename(from: string, to: string): void;
  /** A second name `to` for the file `from`; fails with EEXIST when `to` exists (never replaces it). */
  link(from: string, to: string): void;
  unlink(path: string): void;
}

/** Node's `fs`, synchronously. */
export const NODE_FILE_SYSTEM: FileSystem = {
  mkdir: (path) => void fs.mkdirSync(path, { recursive: true }),
  open: (path, flags, mode) => fs.openSync(path, flags, mode),
  write: (fd, buffer, offset, length) => fs.writeSync(fd, buffer, offset, length),
  fsync: (fd) => fs.fsyncSync(fd),
  close: (fd) => fs.closeSync(fd),
  rename: (from, to) => fs.renameSync(from, to),
  link: (from, to) => fs.linkSync(from, to),
  unlink: (path) => fs.unlinkSync(path),
};

let active: FileSystem = NODE_FILE_SYSTEM;

/** The file system the writers use now. */
export function fileSystem(): FileSystem {
  return active;
}

/** Makes the writers use `replacement` (a test's faulty file system); returns a function that restores the previous one. */
export function useFileSystem(replacement: FileSystem): () => void {
  const previous = active;
  active = replacement;
  return () => {
    active = previous;
  };
}
