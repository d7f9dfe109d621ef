import type { RunSpec } from '../experiments/types';

/** Per-layer agreement of a rule's gradient with the tied gradient on one batch. */
export interface LayerProbe {
  /** Parameter name, e.g. `0.weight`. */
  readonly layer: string;
  /** Cosine similarity of the two gradients (1 = same direction). */
  readonly cosine: number;
  /** Fraction of entries whose signs agree (sign(0)=+1). */
  readonly signAgreement: number;
}

/**
 * A loss that is not a finite number, spelled as a string because JSON has no NaN or ∞ (and
 * `JSON.stringify` would write them as `null`, which means "not measured").
 */
export type NonFiniteLoss = 'NaN' | 'Infinity' | '-Infinity';

/** A recorded loss: a finite number, or the spelling of a non-finite one. */
export type RecordedLoss = number | NonFiniteLoss;

/**
 * One line of `metrics.jsonl`. Epoch 0 is the untrained model (train fields null, seconds 0).
 * An epoch whose training or test loss is NaN or ±∞ has `diverged: true` and the loss as a string.
 */
export interface EpochMetrics {
  readonly epoch: number;
  /** Mean training loss over the epoch's batches (null at epoch 0: not measured). */
  readonly trainLoss: RecordedLoss | null;
  /** Accuracy over the epoch's training batches, measured as they were trained on (null at epoch 0). */
  readonly trainAccuracy: number | null;
  readonly testLoss: RecordedLoss;
  readonly testAccuracy: number;
  /** Wall-clock seconds of the epoch's training (0 at epoch 0). */
  readonly seconds: number;
  /** Direction probe, present when the run's settings ask for it. */
  readonly probe?: readonly LayerProbe[];
  /** Present (true) when a loss of this epoch is NaN or ±∞: the run diverged. */
  readonly diverged?: true;
}

/** Where a run happened: everything about the machine and software needed to interpret its numbers. */
export interface Environment {
  readonly node: string;
  readonly platform: string;
  readonly arch: string;
  readonly cpu: string;
  readonly cpuCount: number;
  /** Backend the run trained on (`cpu`, `gpu`, `wasm`). */
  readonly backend: string;
  /**
   * How the backend ran: the gpu.js mode of the `gpu` backend (`headlessgl`, or `cpu` when it fell
   * back to its non-accelerated mode), the kernel module variant of `wasm` (`simd` or
   * `relaxedSimd`); null for `cpu`. Absent in records written before it existed.
   */
  readonly backendMode?: string | null;
  /** Versions of the @fbt packages and the app. */
  readonly packages: Readonly<Record<string, string>>;
}

/**
 * The inference speed of a trained binary model (train/inference.ts), measured on its test split:
 * the model's float forward (±1 values as float32) against its `exportBinary` form (packed weight
 * signs, XNOR-popcount), on the same batches, best of 3 timed passes after a warm-up.
 */
export interface InferenceTiming {
  /** Test images per pass. */
  readonly images: number;
  /** Milliseconds of the fastest float pass over every image. */
  readonly floatMs: number;
  /** Milliseconds of the fastest packed pass. */
  readonly packedMs: number;
  /** `floatMs / packedMs`. */
  readonly speedUp: number;
  /** Whether the two forwards gave the same output bits (float32, compared bit for bit). */
  readonly outputsEqual: boolean;
  /** The layers that ran on bits, in training and packed, e.g. `5: BinaryLinear 256→256`. */
  readonly bitLayers: readonly string[];
}

/**
 * Contents of a run's `config.json`: the run spec (enough to rerun it) and its environment, and
 * after training what it measured besides the metrics.
 */
export interface RunRecord {
  readonly run: RunSpec;
  readonly environment: Environment;
  /**
   * Present in a finished run of a model with layers on bits (a `binary-mlp` under the `sign`
   * forward on cpu or wasm); absent in other runs and in records written before it existed.
   */
  readonly inference?: InferenceTiming;
}

/** What training measured besides the metrics: the optional part of a `RunRecord`. */
export type RunMeasurements = Pick<RunRecord, 'inference'>;

/** A run as read back from disk. */
export interface LoadedRun {
  readonly record: RunRecord;
  readonly metrics: readonly EpochMetrics[];
}
