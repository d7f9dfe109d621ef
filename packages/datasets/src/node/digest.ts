import { createHash } from 'node:crypto';
import { FbtDataError } from '../errors';

/** SHA-256 of `bytes` as lowercase hex. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Throws an `FbtDataError` naming `source` and both digests unless the SHA-256 of the IDX `content`
 * is `expected` (hex, any case); `remedy` ends the message (what the user can do about it).
 */
export function checkSha256(content: Uint8Array, expected: string, source: string, remedy: string): void {
  const actual = sha256Hex(content);
  if (actual !== expected.toLowerCase()) {
    throw new FbtDataError(
      source,
      `checksum mismatch: SHA-256 of the IDX content is ${actual}; expected ${expected}; ${remedy}`,
    );
  }
}
