import { Rng } from '@fbt/tensor';

/** The first draws of the streams of one seed, each stream from a fresh `new Rng(seed)`. */
export interface RngStreams {
  /** `uniform()` draws. */
  readonly uniform: number[];
  /** `normal()` draws (Box–Muller on `portableLog`, `Math.sqrt` and `cosTurns`). */
  readonly normal: number[];
  /** `int(n)` draws for n = 1, 2, 3, …, 1000, 1, 2, … */
  readonly int: number[];
  /** `nextUint32()` draws of the child made by `split()`. */
  readonly split: number[];
  /** `nextUint32()` draws of the child made by `fork('browser')`. */
  readonly fork: number[];
}

/**
 * Draws `count` values from each stream of `seed`. A pure function of its arguments, so the page
 * and Node must return bit-identical arrays.
 *
 * @example
 * rngStreams(42, 4).uniform; // the same four numbers in every engine
 */
export function rngStreams(seed: number, count: number): RngStreams {
  const draw = (next: (rng: Rng, i: number) => number, child = (rng: Rng): Rng => rng): number[] => {
    const rng = child(new Rng(seed));
    return Array.from({ length: count }, (_, i) => next(rng, i));
  };
  const raw = (rng: Rng): number => rng.nextUint32();
  return {
    uniform: draw((rng) => rng.uniform()),
    normal: draw((rng) => rng.normal()),
    int: draw((rng, i) => rng.int((i % 1000) + 1)),
    split: draw(raw, (rng) => rng.split()),
    fork: draw(raw, (rng) => rng.fork('browser')),
  };
}
