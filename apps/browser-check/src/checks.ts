import { runBinaryModel, type BinaryModelRun } from './binary-model';
import { WASM_SIMD_BACKEND, defaultBackendInfo, registerWasmSimdBackend, type BackendInfo } from './backends';
import { parseIdxFixture, type IdxFixture, type IdxOutcome } from './idx-parse';
import { rngStreams, type RngStreams } from './rng-streams';
import { trainTwoMoons, type TrainingRun } from './training';

/** What the checks need from outside: the Rng seed and length, and the IDX files to parse. */
export interface CheckInput {
  /** Seed of the compared `Rng` streams. */
  readonly rngSeed: number;
  /** Draws per stream. */
  readonly rngCount: number;
  /** IDX files (valid and corrupt) to parse. */
  readonly idx: readonly IdxFixture[];
  /** The safetensors of an exported binary model (`binaryModelFile`), base64. */
  readonly binaryModel: string;
}

/** Everything one engine computed; the page's copy is compared with Node's. */
export interface CheckResult {
  /** The default backend and the WebAssembly features. */
  readonly backend: BackendInfo;
  /** The seeded random streams. */
  readonly rng: RngStreams;
  /** The two-moons run on `cpu`, on the default `wasm` and on `wasm-simd`, in that order. */
  readonly training: TrainingRun[];
  /** The outcome of parsing each IDX fixture, in input order. */
  readonly idx: IdxOutcome[];
  /** The exported binary model's outputs on each of `TRAINING_BACKENDS`. */
  readonly binary: BinaryModelRun[];
}

/** The backends the training run is repeated on. */
export const TRAINING_BACKENDS: readonly string[] = ['cpu', 'wasm', WASM_SIMD_BACKEND];

/**
 * Runs every check in this engine: the page calls it on its bundle, the Node test on the sources.
 * The default backend is inspected first, before anything else selects a backend.
 *
 * @example
 * const result = await runChecks({ rngSeed: 42, rngCount: 1000, idx: [] });
 */
export async function runChecks(input: CheckInput): Promise<CheckResult> {
  const backend = await defaultBackendInfo();
  registerWasmSimdBackend();
  const training: TrainingRun[] = [];
  for (const name of TRAINING_BACKENDS) training.push(await trainTwoMoons(name));
  return {
    backend,
    rng: rngStreams(input.rngSeed, input.rngCount),
    training,
    idx: input.idx.map(parseIdxFixture),
    binary: runBinaryModel(input.binaryModel, TRAINING_BACKENDS),
  };
}
