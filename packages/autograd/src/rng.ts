import { Rng } from '@fbt/tensor';
import { installTape } from './tape';
import { tapeState } from './state';

/**
 * Reseeds the tape's generator, which `backward` hands to custom backwards unless given another
 * `rng`. The same seed gives the same gradients; successive backwards continue the stream, so they
 * draw fresh values.
 */
export function manualSeed(seed: number): void {
  installTape();
  tapeState().rng = new Rng(seed);
}

/** The tape's generator (seed 0 until `manualSeed`). */
export function tapeRng(): Rng {
  installTape();
  return tapeState().rng;
}
