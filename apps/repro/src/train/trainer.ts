import { backward, noGrad } from '@fbt/autograd';
import { DataLoader } from '@fbt/datasets';
import type { Module, Optimizer } from '@fbt/layers';
import { slice, tidy, type Tensor } from '@fbt/tensor';
import { withDivergence } from '../results/divergence';
import type { EpochMetrics, LayerProbe } from '../results/records';
import type { SplitTensors } from './data';
import type { Objective } from './objective';

/** Everything the generic training loop needs. */
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
  /** When given, called after each epoch; its result goes into the epoch's `probe` field. */
  readonly probe?: (model: Module) => LayerProbe[];
}

/** Rows evaluated per forward pass at test time. */
const EVAL_BATCH = 1000;

/** Mean loss and accuracy of the model on a split, without recording gradients. */
export function evaluate(
  model: Module,
  objective: Objective,
  split: SplitTensors,
): { loss: number; accuracy: number } {
  model.eval();
  const n = split.x.shape[0]!;
  let lossSum = 0;
  let correct = 0;
  noGrad(() => {
    for (let start = 0; start < n; start += EVAL_BATCH) {
      const count = Math.min(EVAL_BATCH, n - start);
      tidy(() => {
        const x = slice(
          split.x,
          [start, ...split.x.shape.slice(1).map(() => 0)],
          [count, ...split.x.shape.slice(1)],
        );
        const y = slice(split.y, [start], [count]);
        const out = model.call(x);
        lossSum += objective.loss(out, y).item() * count;
        correct += objective.accuracy(out, y) * count;
      });
    }
  });
  model.train();
  return { loss: lossSum / n, accuracy: correct / n };
}

function trainStep(setup: TrainerSetup, x: Tensor, y: Tensor): { loss: number; accuracy: number } {
  const { model, objective, optimizer } = setup;
  optimizer.zeroGrad();
  const result = tidy(() => {
    const out = model.call(x);
    const loss = objective.loss(out, y);
    const values = { loss: loss.item(), accuracy: objective.accuracy(out, y) };
    backward(loss);
    return values;
  });
  optimizer.step();
  model.applyConstraints();
  return result;
}

/**
 * The generic loop, one epoch at a time: yields the untrained model's metrics (epoch 0), then per
 * epoch trains on shuffled batches, evaluates on the test split and yields one `EpochMetrics` (a NaN
 * or infinite loss recorded by name and the epoch marked `diverged`). A
 * caller can await between epochs, so a long synchronous run does not block its event loop for
 * its whole length.
 */
export function* trainEpochs(setup: TrainerSetup): Generator<EpochMetrics> {
  const initial = evaluate(setup.model, setup.objective, setup.test);
  yield withDivergence({
    epoch: 0,
    trainLoss: null,
    trainAccuracy: null,
    testLoss: initial.loss,
    testAccuracy: initial.accuracy,
    seconds: 0,
    ...(setup.probe === undefined ? {} : { probe: setup.probe(setup.model) }),
  });
  const loader = new DataLoader(setup.train.x, setup.train.y, {
    batchSize: setup.batchSize,
    shuffle: true,
    rng: setup.shuffleSeed,
  });
  for (let epoch = 1; epoch <= setup.epochs; epoch++) {
    setup.model.train();
    const started = performance.now();
    let lossSum = 0;
    let correct = 0;
    let seen = 0;
    for (const batch of loader.epoch(epoch - 1)) {
      const step = trainStep(setup, batch.x, batch.y); // the loader disposes the batch after the step
      lossSum += step.loss * batch.size;
      correct += step.accuracy * batch.size;
      seen += batch.size;
    }
    const seconds = (performance.now() - started) / 1000;
    const test = evaluate(setup.model, setup.objective, setup.test);
    yield withDivergence({
      epoch,
      trainLoss: lossSum / seen,
      trainAccuracy: correct / seen,
      testLoss: test.loss,
      testAccuracy: test.accuracy,
      seconds,
      ...(setup.probe === undefined ? {} : { probe: setup.probe(setup.model) }),
    });
  }
}

/** Runs `trainEpochs` to the end, reporting each epoch's metrics through `onEpoch`. */
export function train(setup: TrainerSetup, onEpoch: (m: EpochMetrics) => void): void {
  for (const metrics of trainEpochs(setup)) onEpoch(metrics);
}
