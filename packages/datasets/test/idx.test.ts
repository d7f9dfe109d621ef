import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArgumentError } from '@fbt/tensor';
import {
  FbtDataError,
  isGzip,
  parseIdx,
  parseImageDataset,
  writeIdx,
  type IdxData,
  type IdxDType,
} from '../src';

const makers: Record<IdxDType, (n: number) => IdxData> = {
  uint8: (n) => Uint8Array.from({ length: n }, (_, i) => (i * 37) % 256),
  int8: (n) => Int8Array.from({ length: n }, (_, i) => ((i * 37) % 256) - 128),
  int16: (n) => Int16Array.from({ length: n }, (_, i) => ((i * 4099) % 65536) - 32768),
  int32: (n) => Int32Array.from({ length: n }, (_, i) => (i * 2654435761) | 0),
  float32: (n) => Float32Array.from({ length: n }, (_, i) => (i - 7) * 1.25e-3 + (i % 3 === 0 ? -1e30 : 0)),
  float64: (n) => Float64Array.from({ length: n }, (_, i) => Math.PI * (i - 3) * 1e-200),
};

const shapesByRank = [[5], [3, 4], [2, 3, 4], [2, 1, 3, 2]];

describe('IDX round trip', () => {
  for (const dtype of Object.keys(makers) as IdxDType[]) {
    for (const shape of shapesByRank) {
      it(`${dtype} of rank ${shape.length}`, () => {
        const data = makers[dtype](shape.reduce((a, b) => a * b, 1));
        const bytes = writeIdx({ shape, data });
        const parsed = parseIdx(bytes, 'round-trip');
        expect(parsed.dtype).toBe(dtype);
        expect(parsed.shape).toEqual(shape);
        expect(parsed.data.constructor).toBe(data.constructor);
        expect(Array.from(parsed.data)).toEqual(Array.from(data));
        // and through gzip, detected by the magic bytes
        const gz = gzipSync(bytes);
        expect(isGzip(gz)).toBe(true);
        expect(Array.from(parseIdx(gz).data)).toEqual(Array.from(data));
      });
    }
  }

  it('writes the documented big-endian layout', () => {
    const bytes = writeIdx({ shape: [2], data: new Int16Array([258, -2]) });
    expect(Array.from(bytes)).toEqual([0, 0, 0x0b, 1, 0, 0, 0, 2, 0x01, 0x02, 0xff, 0xfe]);
  });

  it('accepts an ArrayBuffer and empty dimensions', () => {
    const bytes = writeIdx({ shape: [0, 28, 28], data: new Uint8Array(0) });
    const parsed = parseIdx(bytes.buffer as ArrayBuffer);
    expect(parsed.shape).toEqual([0, 28, 28]);
    expect(parsed.data.length).toBe(0);
  });

  it('rejects bad writer input with an ArgumentError', () => {
    expect(() => writeIdx({ shape: [3], data: new Uint8Array(2) })).toThrow(
      /holds 3 elements but data has 2/,
    );
    expect(() => writeIdx({ shape: [], data: new Uint8Array(1) })).toThrow(ArgumentError);
    expect(() => writeIdx({ shape: [1.5], data: new Uint8Array(1) })).toThrow(/dimension 1.5/);
    expect(() => writeIdx({ shape: [1], data: new Uint8Array(1), dtype: 'int8' })).toThrow(
      /dtype 'int8' but data is a Uint8Array/,
    );
  });
});

describe('IDX errors name the file and the problem', () => {
  const good = writeIdx({ shape: [2, 3], data: new Uint8Array(6) });
  const cases: [string, Uint8Array, RegExp][] = [
    ['empty file', new Uint8Array(0), /^f\.idx: truncated: 0 bytes/],
    ['wrong magic number', Uint8Array.from([1, 2, 8, 1, 0, 0, 0, 0]), /wrong magic number 01 02 08 01/],
    ['unknown type code', Uint8Array.from([0, 0, 0x0a, 1, 0, 0, 0, 0]), /unknown IDX type code 0x0a/],
    ['rank 0', Uint8Array.from([0, 0, 8, 0]), /rank 0/],
    ['truncated header', good.slice(0, 9), /truncated header: 9 bytes; rank 2 needs 12/],
    [
      'truncated data',
      good.slice(0, good.length - 1),
      /truncated: header says uint8 \[2, 3\] \(6 data bytes\) but 5/,
    ],
    ['trailing bytes', Uint8Array.from([...good, 7]), /trailing bytes: .* but 7 data bytes/],
    ['corrupt gzip', gzipSync(good).slice(0, 20), /corrupt gzip/],
  ];
  for (const [what, bytes, message] of cases) {
    it(what, () => {
      expect(() => parseIdx(bytes, 'f.idx')).toThrow(FbtDataError);
      expect(() => parseIdx(bytes, 'f.idx')).toThrow(message);
    });
  }

  it('checks images against labels', () => {
    const images = writeIdx({ shape: [3, 2, 2], data: new Uint8Array(12) });
    const labels = (n: number, value = 1): Uint8Array =>
      writeIdx({ shape: [n], data: new Uint8Array(n).fill(value) });
    const files = { trainImages: images, trainLabels: labels(3), testImages: images, testLabels: labels(3) };
    const { train } = parseImageDataset(files);
    expect(train.images.shape).toEqual([3, 1, 2, 2]);
    expect(() => parseImageDataset({ ...files, testLabels: labels(2) })).toThrow(
      /test labels: has 2 labels but test images has 3 images/,
    );
    expect(() => parseImageDataset({ ...files, trainLabels: labels(3, 10) })).toThrow(
      /label 10 at index 0; expected 0..9/,
    );
    expect(() => parseImageDataset({ ...files, trainImages: labels(3) })).toThrow(
      /train images: holds uint8 \[3\]; expected uint8 images/,
    );
  });
});

describe('IDX reader under mutation (property)', () => {
  const seeds = [
    writeIdx({ shape: [4, 3, 2], data: makers.uint8(24) }),
    writeIdx({ shape: [5], data: makers.float64(5) }),
    writeIdx({ shape: [2, 2, 2, 2], data: makers.int16(16) }),
    writeIdx({ shape: [3, 3], data: makers.float32(9) }),
  ];
  const mutated = fc
    .record({
      seed: fc.integer({ min: 0, max: seeds.length - 1 }),
      edits: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
      cut: fc.option(fc.nat(), { nil: undefined }),
      extra: fc.uint8Array({ maxLength: 8 }),
    })
    .map(({ seed, edits, cut, extra }) => {
      const base = seeds[seed]!;
      const bytes = Uint8Array.from([...base, ...extra]);
      for (const [at, value] of edits) bytes[at % bytes.length] = value;
      return cut === undefined ? bytes : bytes.slice(0, cut % (bytes.length + 1));
    });

  it('either parses consistently with the header or throws FbtDataError', () => {
    fc.assert(
      fc.property(mutated, (bytes) => {
        let parsed;
        try {
          parsed = parseIdx(bytes, 'mutant');
        } catch (error) {
          expect(error).toBeInstanceOf(FbtDataError);
          return;
        }
        const rank = bytes[3]!;
        const view = new DataView(bytes.buffer, bytes.byteOffset);
        const shape = Array.from({ length: rank }, (_, d) => view.getUint32(4 + 4 * d));
        expect(bytes[0]).toBe(0);
        expect(bytes[1]).toBe(0);
        expect(parsed.shape).toEqual(shape);
        expect(parsed.data.length).toBe(shape.reduce((a, b) => a * b, 1));
        expect(4 + 4 * rank + parsed.data.length * parsed.data.BYTES_PER_ELEMENT).toBe(bytes.length);
      }),
      { numRuns: 3000 },
    );
  });

  it('never lets anything but FbtDataError escape for random bytes and mutated gzip', () => {
    const gz = gzipSync(seeds[0]!);
    const inputs = fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.nat()).map(([at, value, cut]) => {
        const bytes = gz.slice(0, 2 + (cut % (gz.length - 1)));
        if (bytes.length > 2) bytes[2 + (at % (bytes.length - 2))] = value;
        return bytes;
      }),
    );
    fc.assert(
      fc.property(inputs, (bytes) => {
        try {
          parseIdx(bytes, 'noise');
        } catch (error) {
          expect(error).toBeInstanceOf(FbtDataError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
