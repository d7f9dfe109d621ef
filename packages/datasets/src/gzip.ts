import { Inflate } from 'fflate';
import { crc32 } from './crc32';
import { FbtDataError } from './errors';

/**
 * Largest inflated size accepted from a gzip file, on every path: far above any IDX set this
 * package loads (MNIST's largest file is 47 MB), low enough that a gzip bomb is refused quickly.
 */
export const MAX_INFLATED_BYTES = 256 * 2 ** 20;

/** True when `bytes` start with the gzip magic bytes `1f 8b`. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Where a gzip member's deflate data lies, and what its 8-byte trailer declares (RFC 1952). */
interface GzipLayout {
  /** Offset of the deflate data (after the header and its optional fields). */
  readonly dataStart: number;
  /** Offset of the trailer: the last 8 bytes. */
  readonly trailerStart: number;
  /** CRC-32 of the inflated bytes. */
  readonly crc: number;
  /** Inflated size modulo 2³². */
  readonly size: number;
}

const FHCRC = 0x02;
const FEXTRA = 0x04;
const FNAME = 0x08;
const FCOMMENT = 0x10;
const FRESERVED = 0xe0;
const HEADER_BYTES = 10;
const TRAILER_BYTES = 8;

/** Reads a gzip header and trailer, refusing a bad method, reserved flags, a bad header CRC or a truncated file. */
function gzipLayout(bytes: Uint8Array, fileName: string): GzipLayout {
  const truncated = (): FbtDataError =>
    new FbtDataError(fileName, `truncated gzip file of ${bytes.length} bytes; expected a complete gzip file`);
  if (bytes.length < HEADER_BYTES + TRAILER_BYTES) throw truncated();
  if (bytes[2] !== 8) {
    throw new FbtDataError(fileName, `gzip compression method ${bytes[2]}; expected 8 (deflate)`);
  }
  const flags = bytes[3]!;
  if (flags & FRESERVED) {
    throw new FbtDataError(
      fileName,
      `gzip header flags 0x${flags.toString(16)} set reserved bits; expected none`,
    );
  }
  let at = HEADER_BYTES;
  if (flags & FEXTRA) at += 2 + (bytes[at]! | (bytes[at + 1]! << 8));
  for (const flag of [FNAME, FCOMMENT]) {
    if (!(flags & flag)) continue;
    while (at < bytes.length && bytes[at] !== 0) at++;
    at++;
  }
  const trailerStart = bytes.length - TRAILER_BYTES;
  if (flags & FHCRC) {
    if (at + 2 > trailerStart) throw truncated();
    const declared = bytes[at]! | (bytes[at + 1]! << 8);
    const actual = crc32(bytes.subarray(0, at)) & 0xffff;
    if (actual !== declared) {
      throw new FbtDataError(
        fileName,
        `gzip header CRC-16 mismatch: the header gives 0x${actual.toString(16)} but declares 0x${declared.toString(16)}; the file is corrupt`,
      );
    }
    at += 2;
  }
  if (at > trailerStart) throw truncated();
  const view = new DataView(bytes.buffer, bytes.byteOffset + trailerStart, TRAILER_BYTES);
  return { dataStart: at, trailerStart, crc: view.getUint32(0, true), size: view.getUint32(4, true) };
}

/** Deflate's largest expansion: 258 bytes from a 1-bit length and a 1-bit distance code. */
const MAX_DEFLATE_RATIO = 1032;

/** Input bytes fed to the inflater per step: bounds how far the output overshoots before a check. */
const CHUNK_BYTES = 16 * 1024;

/** Inflates raw deflate data into exactly `size` bytes, refusing more as soon as it appears. */
function inflateExactly(deflated: Uint8Array, size: number, fileName: string): Uint8Array {
  const out = new Uint8Array(size);
  let written = 0;
  const inflater = new Inflate((chunk) => {
    if (written + chunk.length > size) {
      throw new FbtDataError(
        fileName,
        `gzip data inflates past the ${size} bytes its trailer declares (ISIZE); expected exactly ${size}`,
      );
    }
    out.set(chunk, written);
    written += chunk.length;
  });
  try {
    let at = 0;
    do {
      const end = Math.min(at + CHUNK_BYTES, deflated.length);
      inflater.push(deflated.subarray(at, end), end === deflated.length);
      at = end;
    } while (at < deflated.length);
  } catch (cause) {
    if (cause instanceof FbtDataError) throw cause;
    throw new FbtDataError(
      fileName,
      `corrupt gzip stream (${(cause as Error).message}); expected a complete gzip file`,
    );
  }
  if (written !== size) {
    throw new FbtDataError(
      fileName,
      `gzip data inflates to ${written} bytes but its trailer declares ${size} (ISIZE); expected them equal`,
    );
  }
  return out;
}

/**
 * Inflates one gzip member and verifies it: the declared size (ISIZE) must be at most
 * `MAX_INFLATED_BYTES` and within deflate's 1032:1 expansion of the data (checked before inflating,
 * so a gzip bomb or a truncated file costs nothing), the data must inflate
 * to exactly that size (inflating stops as soon as it exceeds it), and the CRC-32 of the result must
 * match the trailer's. Runs in browsers (fflate); every failure is an `FbtDataError` naming `fileName`.
 */
export function gunzipVerified(bytes: Uint8Array, fileName: string): Uint8Array {
  const layout = gzipLayout(bytes, fileName);
  const deflated = bytes.subarray(layout.dataStart, layout.trailerStart);
  const most = MAX_DEFLATE_RATIO * deflated.length;
  if (layout.size > most) {
    throw new FbtDataError(
      fileName,
      `corrupt gzip file: its trailer declares ${layout.size} inflated bytes (ISIZE) but its ${deflated.length} bytes of deflate data hold at most ${most}; expected a complete gzip file`,
    );
  }
  if (layout.size > MAX_INFLATED_BYTES) {
    throw new FbtDataError(
      fileName,
      `gzip trailer declares ${layout.size} inflated bytes (ISIZE); expected at most ${MAX_INFLATED_BYTES}`,
    );
  }
  const out = inflateExactly(deflated, layout.size, fileName);
  const crc = crc32(out);
  if (crc !== layout.crc) {
    throw new FbtDataError(
      fileName,
      `gzip CRC-32 mismatch: the data gives ${hex32(crc)} but the trailer declares ${hex32(layout.crc)}; the file is corrupt`,
    );
  }
  return out;
}

function hex32(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}

/**
 * Inflates `bytes` when they are gzip-compressed (detected by the magic bytes) and returns them
 * unchanged otherwise, verifying the gzip trailer (see `gunzipVerified`). Runs in browsers; a
 * corrupt, oversized or truncated stream throws an `FbtDataError` naming `fileName`.
 */
export function gunzipIfNeeded(bytes: Uint8Array, fileName: string): Uint8Array {
  return isGzip(bytes) ? gunzipVerified(bytes, fileName) : bytes;
}

/** Accepts the byte containers that `fetch`, `FileReader` and `fs` hand out. */
export type BytesLike = Uint8Array | ArrayBuffer;

/** A `Uint8Array` view of `bytes` (no copy). */
export function asBytes(bytes: BytesLike): Uint8Array {
  return bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
}
