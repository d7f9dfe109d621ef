import { readFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { FbtDataError } from '../errors';
import { isGzip } from '../gzip';
import { parseIdx, type IdxArray } from '../idx';

/** Largest inflated size accepted from a gzip file: far above any IDX set this package loads. */
export const MAX_INFLATED_BYTES = 1 << 30;

/** Inflates gzip bytes with node:zlib (faster than the browser path); other bytes pass through. */
export function inflateNode(bytes: Uint8Array, fileName: string): Uint8Array {
  if (!isGzip(bytes)) return bytes;
  try {
    return gunzipSync(bytes, { maxOutputLength: MAX_INFLATED_BYTES });
  } catch (cause) {
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

/** Reads and parses an IDX file (gzip or raw), naming `path` in any error. */
export function readIdxFile(path: string): IdxArray {
  return parseIdx(inflateNode(readBytes(path), path), path);
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
