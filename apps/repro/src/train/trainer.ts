import { DataLoader } from '@fbt/datasets';
import { fitEpochs, type Module, type Optimizer } from '@fbt/layers';
import { withDivergence } from '../results/divergence';
import type { EpochMetrics, LayerProbe } from '../results/records';
import type { SplitTensors } from './data';
import type { Objective } from './objective';

/** Everything a run's training needs. */
export interface TrainerSetup {
  readonly model: Module;
  readonly objective: Objective;
  readonly optimizer: Optimizer;
  readonly train: SplitTensors;
  readonly test: SplitTensors;
  readonly epochs: number;
  readonly batchSize: number;
  /** Seed of the per-epoch shuffles. */
  readonly shuffleSeed: number;
  /** When given, the tape's generator (jamming draws) is reseeded with it before training. */
  readonly seed?: number;
  /** When given, called after each epoch; its result goes into the epoch's `probe` field. */
  readonly probe?: (model: Module) => LayerProbe[];
}

/** Rows evaluated per forward pass at test time. */
const EVAL_BATCH = 1000;

/**
 * `fitEpochs` of @fbt/layers on a run's splits, one epoch at a time: the untrained model's metrics
 * (epoch 0), then per epoch the metrics after training on shuffled batches (`shuffleSeed`) and
 * evaluating the test split in batches of 1000, as `EpochMetrics` (a NaN or infinite loss recorded
 * by name and the epoch marked `diverged`). A caller can await between epochs, so a long
 * synchronous run does not block its event loop for its whole length.
 */
export function* trainEpochs(setup: TrainerSetup): Generator<EpochMetrics> {
  const { model, objective } = setup;
  const epochs = fitEpochs(model, setup.optimizer, {
    train: new DataLoader(setup.train.x, setup.train.y, {
      batchSize: setup.batchSize,
      shuffle: true,
      rng: setup.shuffleSeed,
    }),
    test: new DataLoader(setup.test.x, setup.test.y, { batchSize: EVAL_BATCH }),
    epochs: setup.epochs,
    loss: objective.loss,
    metric: objective.accuracy,
    evaluateInitial: true,
    ...(setup.seed === undefined ? {} : { seed: setup.seed }),
  });
  for (const { epoch, train, test, seconds } of epochs) {
    yield withDivergence({
      epoch,
      trainLoss: train?.loss ?? null,
      trainAccuracy: train?.metric ?? null,
      testLoss: test!.loss,
      testAccuracy: test!.metric!,
      seconds,
      ...(setup.probe === undefined ? {} : { probe: setup.probe(model) }),
    });
  }
}

/** Runs `trainEpochs` to the end, reporting each epoch's metrics through `onEpoch`. */
export function train(setup: TrainerSetup, onEpoch: (m: EpochMetrics) => void): void {
  for (const metrics of trainEpochs(setup)) onEpoch(metrics);
}
