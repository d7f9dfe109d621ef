import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { FbtDataError } from '../errors';
import { parseIdx } from '../idx';
import { checkSha256 } from './digest';
import { inflateNode } from './read-file';

async function fetchBytes(url: string): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'follow' });
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
  const chunks: Uint8Array[] = [];
  let received = 0;
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      received += value.length;
    }
  } catch (cause) {
    const of = Number.isFinite(declared) ? ` of ${declared}` : '';
    throw new FbtDataError(
      url,
      `download interrupted after ${received}${of} bytes (${describe(cause)}); nothing was cached`,
    );
  }
  if (Number.isFinite(declared) && received !== declared) {
    throw new FbtDataError(
      url,
      `download interrupted: got ${received} of ${declared} bytes; nothing was cached`,
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
export async function downloadIdx(url: string, dest: string, sha256: string): Promise<void> {
  const bytes = await fetchBytes(url);
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
