import { DataLoader } from '@fbt/datasets';
import { SGD, Sequential } from '@fbt/layers';
import { Rng, withBackend } from '@fbt/tensor';
import type { SplitTensors, TrainData } from '../../../repro/src/train/data';
import { objectiveFor } from '../../../repro/src/train/objective';
import { trainEpochs } from '../../../repro/src/train/trainer';
import { fbtTrainingStep, layerOf } from '../contenders/fbt-training';
import { measureInterleaved, timingFor, type Timing } from '../timing';
import { LENET5, trainingSpec } from '../training';
import { pausedWithin, recordGc } from './gc-time';

/** Where one epoch of apps/repro's loop spent its time, in ms. */
export interface EpochTiming {
  readonly batchSize: number;
  /** Optimizer steps in the epoch (the last batch may be smaller). */
  readonly steps: number;
  /** The training loop alone (what apps/repro records as the epoch's `seconds`). */
  readonly trainMs: number;
  /** The test-set evaluation after the epoch. */
  readonly evalMs: number;
  /** Garbage-collector pauses during the training loop. */
  readonly trainGcMs: number;
  /** One pass of the same DataLoader over the training set without training: batch copies alone. */
  readonly loaderMs: number;
  /** The bench's isolated LeNet-5 training step at this batch size, in the same process. */
  readonly step: Timing;
}

/** The bench's LeNet-5 step (`train-lenet5`) at `batchSize` on `backend`, timed as the bench times it. */
export function timeStep(backend: string, batchSize: number): Timing {
  const run = fbtTrainingStep(backend, trainingSpec(new Rng(1), LENET5, [batchSize, 1, 28, 28]));
  const start = performance.now();
  run();
  return measureInterleaved([{ run, options: timingFor(performance.now() - start) }])[0]!;
}

/** One pass of a shuffled DataLoader over `split` (batches made and disposed, nothing else), in ms. */
export function timeLoaderPass(split: SplitTensors, batchSize: number): number {
  const loader = new DataLoader(split.x, split.y, { batchSize, shuffle: true, rng: 0 });
  const start = performance.now();
  for (const batch of loader.epoch(0)) void batch;
  return performance.now() - start;
}

/** Times of one epoch of apps/repro's loop, from `performance.now()`. */
interface EpochPhases {
  readonly start: number;
  readonly trainMs: number;
  readonly epochMs: number;
}

function runEpoch(data: TrainData, batchSize: number): EpochPhases {
  const rng = new Rng(0);
  const model = new Sequential(...LENET5.map((layer) => layerOf(layer, rng)));
  const optimizer = new SGD(model.parameters(), { lr: 0.01 });
  try {
    const epochs = trainEpochs({
      model,
      objective: objectiveFor('cross-entropy'),
      optimizer,
      train: data.train,
      test: data.test,
      epochs: 1,
      batchSize,
      shuffleSeed: 0,
    });
    epochs.next(); // epoch 0: the untrained model's evaluation
    const start = performance.now();
    const { value } = epochs.next();
    const epochMs = performance.now() - start;
    if (!value) throw new Error('trainEpochs ended before epoch 1');
    return { start, trainMs: value.seconds * 1000, epochMs };
  } finally {
    model.dispose();
    optimizer.dispose();
  }
}

/**
 * One epoch of apps/repro's training loop (`trainEpochs`: its DataLoader, train step and
 * evaluation) on `data` with the bench's LeNet-5 (ReLU, cross-entropy, plain SGD at lr 0.01, the
 * bench step's model), on `backend`; and, in the same process, the bench's isolated step at the
 * same batch size and a data-loading-only pass.
 */
export async function timeEpoch(backend: string, data: TrainData, batchSize: number): Promise<EpochTiming> {
  const step = timeStep(backend, batchSize);
  const loaderMs = withBackend(backend, () => timeLoaderPass(data.train, batchSize));
  const gc = recordGc();
  const { start, trainMs, epochMs } = withBackend(backend, () => runEpoch(data, batchSize));
  const pauses = await gc.stop();
  return {
    batchSize,
    steps: Math.ceil(data.train.x.shape[0]! / batchSize),
    trainMs,
    evalMs: epochMs - trainMs,
    trainGcMs: pausedWithin(pauses, start, start + trainMs),
    loaderMs,
    step,
  };
}
