import fc from 'fast-check';

/** `arb` one time in four, else undefined. */
export const sometimes = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });

/**
 * Mutations of one of `seeds` (valid files of a format), for fuzzing its parser: up to three bit
 * flips, two overwritten bytes, an insertion of 1–8 bytes and a truncation. `seed` is the index of
 * the file mutated.
 */
export function mutationsOf(seeds: readonly Uint8Array[]): fc.Arbitrary<{ seed: number; bytes: Uint8Array }> {
  return fc
    .record({
      seed: fc.integer({ min: 0, max: seeds.length - 1 }),
      flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })), { maxLength: 3 }),
      writes: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 2 }),
      insert: sometimes(fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 8 }))),
      cut: sometimes(fc.nat()),
    })
    .map(({ seed, flips, writes, insert, cut }) => {
      let bytes = Uint8Array.from(seeds[seed]!);
      for (const [at, bit] of flips) bytes[at % bytes.length]! ^= 1 << bit;
      for (const [at, value] of writes) bytes[at % bytes.length] = value;
      if (insert) {
        const at = insert[0] % (bytes.length + 1);
        bytes = Uint8Array.from([...bytes.subarray(0, at), ...insert[1], ...bytes.subarray(at)]);
      }
      return { seed, bytes: cut === undefined ? bytes : bytes.slice(0, cut % (bytes.length + 1)) };
    });
}
