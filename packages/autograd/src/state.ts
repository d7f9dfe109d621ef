import { Rng } from '@fbt/tensor';

/** Process-wide state of the tape. */
export interface TapeState {
  /** False inside `noGrad` and while a `customOp` forward runs: kernel calls are not recorded. */
  gradEnabled: boolean;
  /** The tape's seeded generator, handed to custom backwards (`manualSeed` replaces it). */
  rng: Rng;
  /** Next node id; ids grow with creation order, which `backward` uses as its topological order. */
  nextNodeId: number;
}

/** Seed of the tape's generator until `manualSeed` is called. */
export const DEFAULT_TAPE_SEED = 0;

/**
 * Returns the process-wide value stored under `name`, creating it once. Kept on `globalThis` so that
 * two copies of @fbt/autograd in one process (an ESM and a CJS build) share one tape and one gradient
 * registry, as they share @fbt/tensor's engine.
 */
export function shared<T>(name: string, create: () => T): T {
  const store = globalThis as unknown as Record<symbol, T | undefined>;
  const key = Symbol.for(`@fbt/autograd:${name}`);
  let value = store[key];
  if (value === undefined) {
    value = create();
    store[key] = value;
  }
  return value;
}

let state: TapeState | null = null;

/** The tape state (resolved once, then cached: the observer reads it on every kernel call). */
export function tapeState(): TapeState {
  state ??= shared('tape', () => ({ gradEnabled: true, rng: new Rng(DEFAULT_TAPE_SEED), nextNodeId: 0 }));
  return state;
}
