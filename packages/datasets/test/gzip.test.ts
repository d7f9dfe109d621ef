import { constants, deflateRawSync, gzipSync } from 'node:zlib';
import { gzipSync as fflateGzip } from 'fflate';
import { describe, expect, it } from 'vitest';
import { crc32 } from '../src/crc32';
import { FbtDataError } from '../src/errors';
import { MAX_INFLATED_BYTES, gunzipIfNeeded } from '../src/gzip';
import { inflateNode } from '../src/node/read-file';

const data = Uint8Array.from({ length: 3000 }, (_, i) => (i * 7) % 251);

/** Both inflating paths: the browser one (fflate, checked by fbt) and the node one (zlib). */
const paths: [string, (bytes: Uint8Array, name: string) => Uint8Array][] = [
  ['browser', gunzipIfNeeded],
  ['node', inflateNode],
];

/** `bytes` with bit `bit` of byte `at` (negative: from the end) flipped. */
function flipped(bytes: Uint8Array, at: number, bit = 0): Uint8Array {
  const out = Uint8Array.from(bytes);
  out[at < 0 ? out.length + at : at]! ^= 1 << bit;
  return out;
}

/** `gz` with its trailer's ISIZE replaced by `size`. */
function withSize(gz: Uint8Array, size: number): Uint8Array {
  const out = Uint8Array.from(gz);
  new DataView(out.buffer).setUint32(out.length - 4, size, true);
  return out;
}

/** A gzip file whose deflate data is `copies` × 1 MiB of zeros in ~1 KiB each, with a chosen ISIZE. */
function gzipBomb(copies: number, declaredSize: number): Uint8Array {
  const segment = deflateRawSync(new Uint8Array(2 ** 20), { finishFlush: constants.Z_SYNC_FLUSH });
  const header = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
  const out = new Uint8Array(header.length + copies * segment.length + 2 + 8);
  out.set(header);
  for (let i = 0; i < copies; i++) out.set(segment, header.length + i * segment.length);
  const end = header.length + copies * segment.length;
  out.set([0x03, 0x00], end); // a final, empty fixed-Huffman block
  new DataView(out.buffer).setUint32(end + 6, declaredSize, true);
  return out;
}

describe('crc32', () => {
  it('gives the standard check value', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });
});

describe('gzip trailer verification', () => {
  const gz = gzipSync(data);
  const stored = gzipSync(data, { level: 0 }); // stored blocks: a flipped data bit still inflates

  it('inflates plain and header-field-laden files on both paths', () => {
    const named = fflateGzip(data, { filename: 'digits.idx', mtime: 0 });
    for (const [, inflate] of paths) {
      expect(Uint8Array.from(inflate(gz, 'f'))).toEqual(data);
      expect(Uint8Array.from(inflate(named, 'f'))).toEqual(data);
    }
    expect(gunzipIfNeeded(data, 'raw')).toBe(data);
  });

  it('refuses a bit flip in stored data (it used to load cleanly in the browser path)', () => {
    const corrupt = flipped(stored, 100, 3);
    expect(() => gunzipIfNeeded(corrupt, 'digits.gz')).toThrow(FbtDataError);
    expect(() => gunzipIfNeeded(corrupt, 'digits.gz')).toThrow(
      /^digits\.gz: gzip CRC-32 mismatch: the data gives 0x[0-9a-f]{8} but the trailer declares 0x[0-9a-f]{8}; the file is corrupt$/,
    );
    expect(() => inflateNode(corrupt, 'digits.gz')).toThrow(
      /^digits\.gz: corrupt gzip stream \(incorrect data check\)/,
    );
  });

  it('refuses a flipped CRC-32 or ISIZE on both paths', () => {
    for (const [, inflate] of paths) {
      expect(() => inflate(flipped(gz, -8), 'f.gz')).toThrow(FbtDataError);
      expect(() => inflate(flipped(gz, -3), 'f.gz')).toThrow(FbtDataError);
    }
    expect(() => gunzipIfNeeded(flipped(gz, -8), 'f.gz')).toThrow(/CRC-32 mismatch/);
    expect(() => gunzipIfNeeded(withSize(gz, 2999), 'f.gz')).toThrow(
      /^f\.gz: gzip data inflates past the 2999 bytes its trailer declares \(ISIZE\); expected exactly 2999$/,
    );
    expect(() => gunzipIfNeeded(withSize(gz, 3002), 'f.gz')).toThrow(
      /^f\.gz: gzip data inflates to 3000 bytes but its trailer declares 3002 \(ISIZE\)/,
    );
  });

  it('refuses truncation, a bad method and reserved flags', () => {
    for (const cut of [2, 10, 17, gz.length - 1]) {
      expect(() => gunzipIfNeeded(gz.slice(0, cut), 'f.gz')).toThrow(FbtDataError);
      expect(() => inflateNode(gz.slice(0, cut), 'f.gz')).toThrow(FbtDataError);
    }
    expect(() => gunzipIfNeeded(Uint8Array.from([...gz.slice(0, 2), 7, ...gz.slice(3)]), 'f.gz')).toThrow(
      /gzip compression method 7; expected 8 \(deflate\)/,
    );
    expect(() => gunzipIfNeeded(flipped(gz, 3, 6), 'f.gz')).toThrow(/reserved bits/);
  });

  it('checks the optional header CRC-16 (FHCRC)', () => {
    const header = Uint8Array.from([...gz.subarray(0, 10)]);
    header[3]! |= 0x02;
    const crc16 = crc32(header) & 0xffff;
    const withHcrc = Uint8Array.from([...header, crc16 & 0xff, crc16 >> 8, ...gz.subarray(10)]);
    for (const [, inflate] of paths) expect(Uint8Array.from(inflate(withHcrc, 'f'))).toEqual(data);
    const corrupt = flipped(withHcrc, 10);
    expect(() => gunzipIfNeeded(corrupt, 'f.gz')).toThrow(/^f\.gz: gzip header CRC-16 mismatch/);
    expect(() => inflateNode(corrupt, 'f.gz')).toThrow(FbtDataError);
  });

  it('refuses a 1 MiB gzip bomb quickly on both paths, whatever its trailer declares', () => {
    const truthful = gzipBomb(1024, 2 ** 30);
    const lying = gzipBomb(1024, 1000);
    expect(truthful.length).toBeLessThan(1.1 * 2 ** 20);
    const started = performance.now();
    expect(() => gunzipIfNeeded(truthful, 'bomb.gz')).toThrow(
      `bomb.gz: gzip trailer declares ${2 ** 30} inflated bytes (ISIZE); expected at most ${MAX_INFLATED_BYTES}`,
    );
    expect(() => gunzipIfNeeded(lying, 'bomb.gz')).toThrow(
      /inflates past the 1000 bytes its trailer declares/,
    );
    expect(performance.now() - started).toBeLessThan(1000);
    expect(() => inflateNode(truthful, 'bomb.gz')).toThrow(
      `bomb.gz: gzip data inflates to more than ${MAX_INFLATED_BYTES} bytes; expected at most ${MAX_INFLATED_BYTES}`,
    );
  });
});
