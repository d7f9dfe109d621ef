import { readFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { FbtDataError } from '../errors';
import { MAX_INFLATED_BYTES, isGzip } from '../gzip';
import { checkSha256 } from './digest';
import { parseIdx, type IdxArray } from '../idx';

/**
 * Inflates gzip bytes with node:zlib (faster than the browser path); other bytes pass through.
 * zlib verifies each member's trailer (CRC-32 and ISIZE) itself, and inflating stops past
 * `MAX_INFLATED_BYTES`, as in the browser path; every failure is an `FbtDataError` naming `fileName`.
 */
export function inflateNode(bytes: Uint8Array, fileName: string): Uint8Array {
  if (!isGzip(bytes)) return bytes;
  try {
    return gunzipSync(bytes, { maxOutputLength: MAX_INFLATED_BYTES });
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new FbtDataError(
        fileName,
        `gzip data inflates to more than ${MAX_INFLATED_BYTES} bytes; expected at most ${MAX_INFLATED_BYTES}`,
      );
    }
    throw new FbtDataError(
      fileName,
      `corrupt gzip stream (${(cause as Error).message}); expected a complete gzip file`,
    );
  }
}

/** Reads a whole file, turning file-system errors into an `FbtDataError` naming the path. */
export function readBytes(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? (cause as Error).message;
    throw new FbtDataError(path, `cannot be read (${code})`);
  }
}

/**
 * Reads and parses an IDX file (gzip or raw), naming `path` in any error. With `sha256`, the
 * SHA-256 of the inflated IDX bytes must be that digest (else an `FbtDataError` naming the file and
 * both digests).
 */
export function readIdxFile(path: string, sha256?: string): IdxArray {
  const content = inflateNode(readBytes(path), path);
  if (sha256 !== undefined) {
    checkSha256(
      content,
      sha256,
      path,
      'the file is corrupt or not the expected one; delete it to fetch it again',
    );
  }
  return parseIdx(content, path);
}

/** Path, size and modification time of a file: changes when the file is replaced. */
export function fileStamp(path: string): string {
  try {
    const stat = statSync(path);
    return `${path}|${stat.size}|${stat.mtimeMs}`;
  } catch {
    return path;
  }
}
