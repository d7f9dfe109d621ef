import { DataLoader } from '@fbt/datasets';
import {
  SGD,
  Sequential,
  accuracy,
  crossEntropy,
  evaluate,
  fitEpochs,
  type LabelledBatch,
} from '@fbt/layers';
import { Rng, slice, tidy, withBackend } from '@fbt/tensor';
import { fbtTrainingStep, layerOf } from '../contenders/fbt-training';
import { measureInterleaved, timingFor, TRAINING_STEP_POLICY, type Timing } from '../timing';
import { LENET5, trainingSpec, type TrainingSpec } from '../training';
import type { EpochData } from './data';
import { pausedWithin, recordGc } from './gc-time';

/** Where one epoch of the training loop (`fitEpochs`, as apps/repro runs it) spent its time, in ms. */
export interface EpochTiming {
  readonly batchSize: number;
  /** Optimizer steps in the epoch (the last batch may be smaller). */
  readonly steps: number;
  /** The training loop alone (what apps/repro records as the epoch's `seconds`). */
  readonly trainMs: number;
  /** CPU time of the training loop: the epoch's minus that of a second, separate evaluation. */
  readonly trainCpuMs: number;
  /** The test-set evaluation after the epoch. */
  readonly evalMs: number;
  /** Garbage-collector pauses during the training loop. */
  readonly trainGcMs: number;
  /** One pass of the same DataLoader over the training set without training: batch copies alone. */
  readonly loaderMs: number;
  /**
   * The bench's isolated LeNet-5 training step at this batch size (`train-lenet5`'s random batch),
   * timed just before the epoch and just after it, so that the two bracket the epoch in time.
   */
  readonly stepBefore: Timing;
  readonly stepAfter: Timing;
  /** The same step on the first MNIST training images (timed interleaved with `stepAfter`). */
  readonly mnistStep: Timing;
}

/** `spec` with its batch replaced by the first rows of `split`. */
function onRows(spec: TrainingSpec, split: LabelledBatch): TrainingSpec {
  const n = spec.inputShape[0]!;
  const [x, labels] = tidy(() => [
    slice(split.x, [0, 0, 0, 0], [n, 1, 28, 28]).dataSync() as Float32Array,
    slice(split.y, [0], [n]).dataSync() as Int32Array,
  ]);
  return { ...spec, x: x!, labels: labels! };
}

/**
 * The bench's LeNet-5 step (`train-lenet5`) at `batchSize` on `backend`, timed as the bench times
 * it (`TRAINING_STEP_POLICY`): on its random batch, then (interleaved) on the first
 * MNIST images of `split` when given.
 */
export function timeSteps(backend: string, batchSize: number, split?: LabelledBatch): Timing[] {
  const spec = trainingSpec(new Rng(1), LENET5, [batchSize, 1, 28, 28]);
  const runs = [spec, ...(split ? [onRows(spec, split)] : [])].map((s) => {
    const run = fbtTrainingStep(backend, s);
    const start = performance.now();
    run();
    return { run, options: timingFor(performance.now() - start, TRAINING_STEP_POLICY) };
  });
  return measureInterleaved(runs);
}

/** One pass of a shuffled DataLoader over `split` (batches made and disposed, nothing else), in ms. */
export function timeLoaderPass(split: LabelledBatch, batchSize: number): number {
  const loader = new DataLoader(split.x, split.y, { batchSize, shuffle: true, rng: 0 });
  const start = performance.now();
  for (const batch of loader.epoch(0)) void batch;
  return performance.now() - start;
}

/** CPU time (user + system) since `since`, in ms. */
function cpuMsSince(since: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(since);
  return (user + system) / 1000;
}

/** Times of one epoch of the loop (`start` from `performance.now()`), in ms. */
interface EpochPhases {
  readonly start: number;
  readonly trainMs: number;
  readonly trainCpuMs: number;
  readonly evalMs: number;
}

/** Test rows per forward pass, as apps/repro evaluates. */
const EVAL_BATCH = 1000;

function runEpoch(data: EpochData, batchSize: number): EpochPhases {
  const rng = new Rng(0);
  const model = new Sequential(...LENET5.map((layer) => layerOf(layer, rng)));
  const optimizer = new SGD(model.parameters(), { lr: 0.01 });
  const scoring = { loss: crossEntropy, metric: accuracy };
  const test = new DataLoader(data.test.x, data.test.y, { batchSize: EVAL_BATCH });
  try {
    const epochs = fitEpochs(model, optimizer, {
      train: new DataLoader(data.train.x, data.train.y, { batchSize, shuffle: true, rng: 0 }),
      test,
      epochs: 1,
      ...scoring,
      evaluateInitial: true,
    });
    epochs.next(); // epoch 0: the untrained model's evaluation
    const cpu = process.cpuUsage();
    const start = performance.now();
    const { value } = epochs.next();
    const epochMs = performance.now() - start;
    const epochCpuMs = cpuMsSince(cpu);
    if (!value) throw new Error('fitEpochs ended before epoch 1');
    const evalCpu = process.cpuUsage();
    evaluate(model, test, scoring);
    const trainMs = value.seconds * 1000;
    return { start, trainMs, trainCpuMs: epochCpuMs - cpuMsSince(evalCpu), evalMs: epochMs - trainMs };
  } finally {
    model.dispose();
    optimizer.dispose();
  }
}

/**
 * One epoch of the training loop as apps/repro runs it (`fitEpochs` of @fbt/layers on a shuffled
 * DataLoader, with the test evaluation in batches of 1000) on `data` with the bench's LeNet-5
 * (ReLU, cross-entropy, plain SGD at lr 0.01, the bench step's model), on `backend`; and, in the same process, the bench's isolated step at the
 * same batch size (just before and just after the epoch) and a data-loading-only pass.
 */
export async function timeEpoch(backend: string, data: EpochData, batchSize: number): Promise<EpochTiming> {
  const [stepBefore] = withBackend(backend, () => timeSteps(backend, batchSize));
  const gc = recordGc();
  const phases = withBackend(backend, () => runEpoch(data, batchSize));
  const pauses = await gc.stop();
  const [stepAfter, mnistStep] = withBackend(backend, () => timeSteps(backend, batchSize, data.train));
  const loaderMs = withBackend(backend, () => timeLoaderPass(data.train, batchSize));
  const { start, trainMs } = phases;
  return {
    batchSize,
    steps: Math.ceil(data.train.x.shape[0]! / batchSize),
    trainMs,
    trainCpuMs: phases.trainCpuMs,
    evalMs: phases.evalMs,
    trainGcMs: pausedWithin(pauses, start, start + trainMs),
    loaderMs,
    stepBefore: stepBefore!,
    stepAfter: stepAfter!,
    mnistStep: mnistStep!,
  };
}
