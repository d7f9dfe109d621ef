import { gzipSync } from 'node:zlib';
import type { IdxFixture } from '../src/idx-parse';

/** An IDX array written by hand (not by @fbt/datasets), and its expected decoding. */
interface IdxSource {
  readonly dtype: 'uint8' | 'int16' | 'float32';
  readonly shape: readonly number[];
  readonly values: readonly number[];
}

const TYPE_CODES = { uint8: 0x08, int16: 0x0b, float32: 0x0d } as const;
const BYTES = { uint8: 1, int16: 2, float32: 4 } as const;

/** Encodes `source` as a big-endian IDX file; `dropBytes` cuts that many bytes off the body. */
function idxBytes(source: IdxSource, dropBytes = 0): Buffer {
  const { dtype, shape, values } = source;
  const header = 4 + 4 * shape.length;
  const out = Buffer.alloc(header + values.length * BYTES[dtype]);
  out[2] = TYPE_CODES[dtype];
  out[3] = shape.length;
  shape.forEach((dim, d) => out.writeUInt32BE(dim, 4 + 4 * d));
  values.forEach((v, i) => {
    if (dtype === 'uint8') out.writeUInt8(v, header + i);
    else if (dtype === 'int16') out.writeInt16BE(v, header + 2 * i);
    else out.writeFloatBE(v, header + 4 * i);
  });
  return out.subarray(0, out.length - dropBytes);
}

/** uint8 [2, 3, 4] "images". */
export const IMAGES: IdxSource = {
  dtype: 'uint8',
  shape: [2, 3, 4],
  values: Array.from({ length: 24 }, (_, i) => (i * 37 + 5) % 256),
};

/** float32 [3, 5]: negative, fractional and non-float32-exact-in-decimal values. */
export const WEIGHTS: IdxSource = {
  dtype: 'float32',
  shape: [3, 5],
  values: Array.from({ length: 15 }, (_, i) => Math.fround((i - 7) / 3)),
};

/** int16 [6], stored uncompressed. */
export const LABELS: IdxSource = { dtype: 'int16', shape: [6], values: [-32768, -1, 0, 1, 9, 32767] };

/** uint8 [10] whose file is cut 3 bytes short. */
const SHORT_BODY: IdxSource = {
  dtype: 'uint8',
  shape: [10],
  values: Array.from({ length: 10 }, (_, i) => i),
};

/** The valid fixtures and the source each must decode to, by file name. */
export const VALID_SOURCES: Readonly<Record<string, IdxSource>> = {
  'images-idx3-ubyte.gz': IMAGES,
  'weights-idx2-float.gz': WEIGHTS,
  'labels-idx1-short': LABELS,
};

/** The corrupt fixtures, each of which `parseIdx` must reject with an `FbtDataError`. */
export const CORRUPT_NAMES = ['truncated-gzip.gz', 'bad-deflate-block.gz', 'short-body-idx1-ubyte.gz'];

/** The fixtures the page and Node both parse: gzip-compressed and plain IDX files, then corrupt ones. */
export function idxFixtures(): IdxFixture[] {
  const images = gzipSync(idxBytes(IMAGES));
  const badBlock = Buffer.from(gzipSync(idxBytes(WEIGHTS)));
  // The first deflate block header follows the 10-byte gzip header; BTYPE = 11 is reserved (invalid).
  badBlock[10] = badBlock[10]! | 0b110;
  const files: [string, Buffer][] = [
    ['images-idx3-ubyte.gz', images],
    ['weights-idx2-float.gz', gzipSync(idxBytes(WEIGHTS))],
    ['labels-idx1-short', idxBytes(LABELS)],
    ['truncated-gzip.gz', images.subarray(0, Math.floor(images.length / 2))],
    ['bad-deflate-block.gz', badBlock],
    ['short-body-idx1-ubyte.gz', gzipSync(idxBytes(SHORT_BODY, 3))],
  ];
  return files.map(([name, bytes]) => ({ name, base64: bytes.toString('base64') }));
}
