import { BackendError } from '../../errors';

/** Reads the unsigned LEB128 at `at`; returns the value and the offset after it. */
export function readLeb(bytes: Uint8Array, at: number): [value: number, next: number] {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++]!;
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return [value, at];
    shift += 7;
  }
}

/** Offset after the name (a length-prefixed UTF-8 string) at `at`. */
function skipName(bytes: Uint8Array, at: number): number {
  const [length, next] = readLeb(bytes, at);
  return next + length;
}

/**
 * A copy of a module whose memory import is declared shared (limits flag 0x03: shared, with a
 * maximum) with the import declared unshared (0x01: with the same maximum), so the kernel module
 * built for the thread pool also runs on an ordinary memory where shared memory is unavailable. The
 * code is the same, so the results are too. Throws a `BackendError` when the module has no shared
 * memory import.
 */
export function withUnsharedMemoryImport(module: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  const bytes = module.slice();
  let at = 8; // magic and version
  while (at < bytes.length) {
    const id = bytes[at]!;
    const [size, body] = readLeb(bytes, at + 1);
    if (id === 2) {
      let [count, entry] = readLeb(bytes, body);
      for (; count > 0; count--) {
        entry = skipName(bytes, skipName(bytes, entry));
        const kind = bytes[entry]!;
        if (kind === 0x02 && bytes[entry + 1] === 0x03) {
          bytes[entry + 1] = 0x01;
          return bytes;
        }
        // A function import: its type index; a memory: limits. Only these two occur in the kernel module.
        if (kind === 0x00) entry = readLeb(bytes, entry + 1)[1];
        else if (kind === 0x02) entry = readLeb(bytes, readLeb(bytes, entry + 2)[1])[1];
        else break;
      }
    }
    at = body + size;
  }
  throw new BackendError('wasm backend: the kernel module has no shared memory import to unshare');
}
