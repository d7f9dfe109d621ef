import { gunzipSync } from 'fflate';
import { FbtDataError } from './errors';

/** True when `bytes` start with the gzip magic bytes `1f 8b`. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Inflates `bytes` when they are gzip-compressed (detected by the magic bytes) and returns them
 * unchanged otherwise. Uses fflate, so it runs in browsers; a corrupt stream throws an `FbtDataError`
 * naming `fileName`.
 */
export function gunzipIfNeeded(bytes: Uint8Array, fileName: string): Uint8Array {
  if (!isGzip(bytes)) return bytes;
  try {
    return gunzipSync(bytes);
  } catch (cause) {
    throw new FbtDataError(
      fileName,
      `corrupt gzip stream (${(cause as Error).message}); expected a complete gzip file`,
    );
  }
}

/** Accepts the byte containers that `fetch`, `FileReader` and `fs` hand out. */
export type BytesLike = Uint8Array | ArrayBuffer;

/** A `Uint8Array` view of `bytes` (no copy). */
export function asBytes(bytes: BytesLike): Uint8Array {
  return bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
}
