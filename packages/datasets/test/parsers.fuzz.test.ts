import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { gzipSync as fflateGzip } from 'fflate';
import { describe, expect, it } from 'vitest';
import { FbtError } from '@fbt/tensor';
import { parseIdx, writeIdx } from '../src';
import { gunzipIfNeeded } from '../src/gzip';
import { inflateNode } from '../src/node/read-file';
import { mutationsOf } from '../../../test-utils/fuzz';

/** Cases per property (fixed seed); each property runs in 1–4 s on the 2-core development machine. */
const RUNS = 10_000;
const TIMEOUT_MS = 30_000;

/** `arb` in one case out of four, else undefined. */

/** Runs `parse`; returns its result, or undefined when it threw an FbtError (anything else is recorded). */
function attempt<T>(parse: () => T, escapes: unknown[]): T | undefined {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof FbtError)) escapes.push(error);
    return undefined;
  }
}

const idxSeeds = [
  writeIdx({ shape: [4, 3, 2], data: Uint8Array.from({ length: 24 }, (_, i) => i * 9) }),
  writeIdx({ shape: [5], data: Float64Array.from([1, -2, 3.5, 1e-300, 7]) }),
  writeIdx({ shape: [2, 2, 2], data: Int16Array.from([1, -2, 3, -4, 5, -6, 7, -8]) }),
  writeIdx({ shape: [3, 2], data: Int32Array.from([9, -9, 2 ** 30, 0, 1, -1]) }),
];

describe('IDX parser under fuzzing', () => {
  const inputs = fc.oneof(
    { weight: 4, arbitrary: mutationsOf(idxSeeds).map((m) => m.bytes) },
    { weight: 2, arbitrary: mutationsOf(idxSeeds.map((s) => gzipSync(s))).map((m) => m.bytes) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 48 }) },
  );

  it(
    `${RUNS} mutated raw and gzip IDX files and random bytes: parsed consistently or an FbtError`,
    () => {
      const escapes: unknown[] = [];
      let parsed = 0;
      fc.assert(
        fc.property(inputs, (bytes) => {
          const idx = attempt(() => parseIdx(bytes, 'fuzz'), escapes);
          if (idx === undefined) return;
          parsed++;
          const size = idx.shape.reduce((a, b) => a * b, 1);
          expect(idx.data.length).toBe(size);
        }),
        { numRuns: RUNS, seed: 14 },
      );
      expect(escapes.map(String)).toEqual([]);
      expect(parsed).toBeGreaterThan(100);
    },
    TIMEOUT_MS,
  );
});

describe('gzip readers under fuzzing', () => {
  const originals = [
    Uint8Array.from({ length: 300 }, (_, i) => (i * 31) % 7),
    new TextEncoder().encode('fbt '.repeat(40)),
    Uint8Array.from({ length: 64 }, (_, i) => (i * 97) % 256),
    new Uint8Array(0),
  ];
  const seeds = originals.flatMap((data) => [
    gzipSync(data),
    gzipSync(data, { level: 0 }), // stored blocks: flipped data bits still inflate, only the CRC-32 tells
    fflateGzip(data, { filename: 'x.idx', mtime: 0 }), // FNAME in the header
  ]);

  it(
    `${RUNS} mutated gzip files: each path gives the original bytes or an FbtError, never other data`,
    () => {
      const escapes: unknown[] = [];
      let inflated = 0;
      fc.assert(
        fc.property(mutationsOf(seeds), ({ seed, bytes }) => {
          const original = originals[Math.floor(seed / 3)]!;
          for (const inflate of [gunzipIfNeeded, inflateNode]) {
            const out = attempt(() => inflate(bytes, 'fuzz.gz'), escapes);
            if (out === undefined || out === bytes) continue; // refused, or no longer gzip
            inflated++;
            expect(Uint8Array.from(out)).toEqual(original);
          }
        }),
        { numRuns: RUNS, seed: 14 },
      );
      expect(escapes.map(String)).toEqual([]);
      expect(inflated).toBeGreaterThan(100);
    },
    TIMEOUT_MS,
  );
});
