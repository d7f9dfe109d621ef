import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FbtError, tensor, type Tensor } from '@fbt/tensor';
import { loadSafetensors, saveSafetensors } from '../src';
import { mutationsOf } from '../../../test-utils/fuzz';

/** Cases per property (fixed seed): 3–7 s for the three together on the 2-core development machine. */
const RUNS = 10_000;

/** Valid files to mutate: F32 and I32, a scalar, an empty tensor, metadata. */
const seeds: Uint8Array[] = [
  saveSafetensors({ w: tensor([1, 2, 3, 4], [2, 2]), b: tensor([0.5]) }),
  saveSafetensors(
    { n: tensor(new Int32Array([3, -4, 5]), [3]), s: tensor(new Float32Array([2]), []) },
    { a: 'b' },
  ),
  saveSafetensors({ e: tensor(new Float32Array(0), [0, 3]) }),
];

/** A file from raw header text and a data section. */
function file(json: string, data: Uint8Array): Uint8Array {
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  out.set(data, 8 + head.length);
  return out;
}

/** `arb` in one case out of four, else undefined. */
/** Mutations of valid files: bit flips, overwritten bytes, truncation, inserted bytes. */
const mutated = mutationsOf(seeds).map((m) => m.bytes);

const dims = fc.oneof(
  fc.integer({ min: 0, max: 4 }),
  fc.constantFrom(-1, 1.5, 1e308, 2 ** 53, Number.MAX_SAFE_INTEGER, '2', null),
);
/** Nesting deep enough to overflow a recursive `JSON.stringify` (which once escaped as a RangeError). */
const deep = fc.integer({ min: 6000, max: 8000 }).map((d) => '['.repeat(d) + ']'.repeat(d));
/** A header field: usually of the expected kind, sometimes any JSON value, rarely deeply nested. */
const field = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 30, arbitrary: arb.map((v) => JSON.stringify(v)) },
    { weight: 8, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: deep },
  );

/** Random headers: plausible entries with hostile fields, odd names, metadata, deep nesting. */
const randomHeader = fc
  .record({
    entries: fc.array(
      fc.record({
        name: fc.oneof(
          fc.string({ maxLength: 6 }),
          fc.constantFrom('__proto__', 'constructor', '__metadata__'),
        ),
        dtype: field(fc.constantFrom('F32', 'I32', 'I64', 'F64', 'F16', 'BF16', 'U8', 'f32')),
        shape: field(fc.array(dims, { maxLength: 3 })),
        offsets: field(fc.tuple(fc.integer({ min: -2, max: 40 }), fc.integer({ min: -2, max: 40 }))),
      }),
      { maxLength: 3 },
    ),
    data: fc.uint8Array({ maxLength: 40 }),
  })
  .map(({ entries, data }) => {
    const body = entries
      .map(
        (e) =>
          `${JSON.stringify(e.name)}:{"dtype":${e.dtype},"shape":${e.shape},"data_offsets":${e.offsets}}`,
      )
      .join(',');
    return file(`{${body}}`, data);
  });

/** Loads `bytes`; anything thrown that is not an FbtError is collected as an escape. */
function tryLoad(bytes: Uint8Array, convertFloats: boolean, escapes: unknown[]): boolean {
  let state: Record<string, Tensor>;
  try {
    state = loadSafetensors(bytes, { convertFloats });
  } catch (error) {
    if (!(error instanceof FbtError)) escapes.push(error);
    return false;
  }
  for (const t of Object.values(state)) t.dispose();
  return true;
}

describe('safetensors reader under fuzzing', () => {
  for (const [what, inputs, someParse] of [
    ['mutated valid files', mutated, true],
    ['random JSON headers', randomHeader, true],
    ['random bytes', fc.uint8Array({ maxLength: 64 }), false],
  ] as const) {
    it(`throws only FbtError subclasses for ${RUNS} ${what}`, () => {
      const escapes: unknown[] = [];
      let parsed = 0;
      fc.assert(
        fc.property(inputs as fc.Arbitrary<Uint8Array>, fc.boolean(), (bytes, convert) => {
          if (tryLoad(bytes, convert, escapes)) parsed++;
        }),
        { numRuns: RUNS, seed: 14 },
      );
      expect(escapes.map((e) => String(e))).toEqual([]);
      if (someParse) expect(parsed).toBeGreaterThan(100); // the valid paths are exercised too
    }, 30_000);
  }
});
