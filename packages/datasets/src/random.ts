import { ArgumentError, Rng } from '@fbt/tensor';

/** A seed or a generator; a seed makes a fresh `Rng(seed)`. */
export type RngLike = Rng | number;

/** The generator for `rng`: the given one, or a new one seeded with the number; `op` names the caller. */
export function toRng(rng: RngLike, op: string): Rng {
  if (rng instanceof Rng) return rng;
  if (typeof rng !== 'number')
    throw new ArgumentError(`${op}: rng is ${String(rng)}; expected an Rng or a seed number`);
  return new Rng(rng);
}
