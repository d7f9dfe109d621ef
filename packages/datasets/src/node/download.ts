import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { FbtDataError } from '../errors';
import { parseIdx } from '../idx';
import { checkSha256 } from './digest';
import { inflateNode } from './read-file';

/** How far one file's download has got. */
export interface DownloadProgress {
  readonly url: string;
  /** Bytes received so far. */
  readonly received: number;
  /** Bytes announced by the server (`Content-Length`), or null when it announced none. */
  readonly total: number | null;
}

/** Options of a download. */
export interface DownloadOptions {
  /** Called after each received chunk (and once at the start with 0 bytes). */
  readonly onProgress?: (progress: DownloadProgress) => void;
  /** Abort when no byte arrives for this long (default 30 000 ms): an unreachable mirror fails, not hangs. */
  readonly idleTimeoutMs?: number;
}

/** Default idle timeout of a download, in milliseconds. */
export const DOWNLOAD_IDLE_TIMEOUT_MS = 30_000;

async function fetchBytes(url: string, options: DownloadOptions): Promise<Uint8Array> {
  const idle = options.idleTimeoutMs ?? DOWNLOAD_IDLE_TIMEOUT_MS;
  const controller = new AbortController();
  let timer = setTimeout(() => controller.abort(new Error(`no data for ${idle} ms`)), idle);
  const touch = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(new Error(`no data for ${idle} ms`)), idle);
  };
  try {
    return await receive(url, controller.signal, touch, options.onProgress);
  } finally {
    clearTimeout(timer);
  }
}

async function receive(
  url: string,
  signal: AbortSignal,
  touch: () => void,
  onProgress: DownloadOptions['onProgress'],
): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'follow', signal });
  } catch (cause) {
    throw new FbtDataError(url, `download failed (${describe(cause)}); check the URL and the network`);
  }
  if (!response.ok || !response.body) {
    throw new FbtDataError(
      url,
      `download failed with HTTP ${response.status} ${response.statusText}; expected 200`,
    );
  }
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  const total = Number.isFinite(declared) ? declared : null;
  const chunks: Uint8Array[] = [];
  let received = 0;
  onProgress?.({ url, received, total });
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      touch();
      chunks.push(value);
      received += value.length;
      onProgress?.({ url, received, total });
    }
  } catch (cause) {
    const of = total === null ? '' : ` of ${total}`;
    throw new FbtDataError(
      url,
      `download interrupted after ${received}${of} bytes (${describe(signal.aborted ? signal.reason : cause)}); nothing was cached`,
    );
  }
  if (total !== null && received !== total) {
    throw new FbtDataError(
      url,
      `download interrupted: got ${received} of ${total} bytes; nothing was cached`,
    );
  }
  const bytes = new Uint8Array(received);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

function describe(cause: unknown): string {
  const error = cause as Error & { cause?: Error };
  return error.cause?.message ? `${error.message}: ${error.cause.message}` : String(error.message ?? cause);
}

/**
 * Downloads an IDX file (gzip or raw) from `url`, checks that the SHA-256 of its inflated IDX bytes
 * is `sha256` and that it parses, and only then stores the downloaded bytes at `dest` (written to a
 * temporary name in the same folder, then renamed). A failed, partial or mismatching download
 * throws an `FbtDataError` and leaves nothing at `dest`.
 */
export async function downloadIdx(
  url: string,
  dest: string,
  sha256: string,
  options: DownloadOptions = {},
): Promise<void> {
  const bytes = await fetchBytes(url, options);
  const content = inflateNode(bytes, url);
  checkSha256(content, sha256, url, 'nothing was cached');
  parseIdx(content, url);
  mkdirSync(dirname(dest), { recursive: true });
  const temp = `${dest}.${process.pid}-${randomBytes(4).toString('hex')}.part`;
  try {
    writeFileSync(temp, bytes);
    renameSync(temp, dest);
  } catch (cause) {
    rmSync(temp, { force: true });
    throw new FbtDataError(dest, `cannot store the download (${describe(cause)})`);
  }
}
