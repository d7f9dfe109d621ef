import { backward, manualSeed } from '@fbt/autograd';
import { ArgumentError, checkOptions, tidy } from '@fbt/tensor';
import { Module } from '../module';
import { Optimizer } from '../optim/optimizer';
import { assertFunction, assertInstance, assertIterable } from './checks';
import {
  RunningMean,
  evaluateBatches,
  type Evaluation,
  type LabelledBatch,
  type LossFn,
  type MetricFn,
} from './evaluate';

/** What `fit` reports after each training step (`onStep`). */
export interface FitStep {
  /** The epoch, from 1. */
  readonly epoch: number;
  /** The step within the epoch, from 0. */
  readonly step: number;
  /** The batch's loss, measured on the forward pass it was trained with. */
  readonly loss: number;
  /** The batch's metric on the same forward pass; null without a `metric`. */
  readonly metric: number | null;
  /** Rows in the batch. */
  readonly rows: number;
}

/** What `fit` reports after each epoch (`onEpoch`, and the items of `fitEpochs`). */
export interface FitEpoch {
  /** The epoch, from 1; 0 for the untrained model (`evaluateInitial`). */
  readonly epoch: number;
  /**
   * Mean loss and metric over the epoch's training batches, each measured as the batch was trained
   * on and weighted by its rows; null at epoch 0.
   */
  readonly train: Evaluation | null;
  /** The same over the `test` batches after the epoch, in eval mode; null without `test`. */
  readonly test: Evaluation | null;
  /** Wall-clock seconds of the epoch's training steps (with `onStep`; without the test); 0 at epoch 0. */
  readonly seconds: number;
}

/** Options of `fit` and `fitEpochs`. */
export interface FitOptions {
  /**
   * The training batches, iterated once per epoch: an array (the same batches every epoch) or a
   * `DataLoader` from `@fbt/datasets` (each iteration runs its next epoch, reshuffled from its seed).
   * The batches stay the caller's: `fit` does not dispose them (a `DataLoader` frees its own).
   */
  readonly train: Iterable<LabelledBatch>;
  /** Epochs to train (an integer ≥ 0). */
  readonly epochs: number;
  /** The loss of a batch, e.g. `crossEntropy`. */
  readonly loss: LossFn;
  /** A score of a batch, e.g. `accuracy`; averaged like the loss. Default: none (`metric: null`). */
  readonly metric?: MetricFn;
  /** Batches evaluated after each epoch (eval mode, no gradients). Default: none (`test: null`). */
  readonly test?: Iterable<LabelledBatch>;
  /** Evaluate the untrained model on `test` first and report it as epoch 0. Default false. */
  readonly evaluateInitial?: boolean;
  /**
   * Reseeds the tape's generator (`manualSeed` of `@fbt/autograd`), which draws the values of
   * stochastic backward rules (jamming), before the first step, so that the same seed gives the
   * same bits. The batches' order is the `train` iterable's (a `DataLoader` has its own seed).
   * Default: the generator is left as it is.
   */
  readonly seed?: number;
  /** Called after every training step. */
  readonly onStep?: (step: FitStep) => void;
  /** Called after every epoch (and after the initial evaluation), before `fitEpochs` yields it. */
  readonly onEpoch?: (epoch: FitEpoch) => void;
}

const FUNCTION = 'a function';

/** Refuses bad `fit` arguments in one line each, before any work. */
function checkFitArguments(model: Module, optimizer: Optimizer, options: FitOptions, op: string): void {
  assertInstance(model, Module, 'model', op);
  assertInstance(optimizer, Optimizer, 'optimizer', op);
  if (options === undefined)
    throw new ArgumentError(`${op}: no options; expected { train, epochs, loss, … }`);
  checkOptions(
    options,
    {
      train: true,
      epochs: true,
      loss: true,
      metric: true,
      test: true,
      evaluateInitial: true,
      seed: true,
      onStep: true,
      onEpoch: true,
    },
    op,
  );
  const { epochs, seed, evaluateInitial } = options;
  assertIterable(options.train, 'train', op);
  if (options.test !== undefined) assertIterable(options.test, 'test', op);
  if (!Number.isInteger(epochs) || epochs < 0)
    throw new ArgumentError(`${op}: epochs=${String(epochs)}; expected an integer >= 0`);
  assertFunction(options.loss, 'loss', `${FUNCTION} (output, target) => scalar Tensor`, op);
  assertFunction(options.metric, 'metric', `${FUNCTION} (output, target) => number`, op, true);
  assertFunction(options.onStep, 'onStep', FUNCTION, op, true);
  assertFunction(options.onEpoch, 'onEpoch', FUNCTION, op, true);
  if (seed !== undefined && !(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32))
    throw new ArgumentError(`${op}: seed=${String(seed)}; expected an integer in [0, 2^32)`);
  if (evaluateInitial !== undefined && typeof evaluateInitial !== 'boolean')
    throw new ArgumentError(`${op}: evaluateInitial=${String(evaluateInitial)}; expected true or false`);
  if (evaluateInitial === true && options.test === undefined)
    throw new ArgumentError(`${op}: evaluateInitial needs test batches; expected a test option`);
}

/** One optimizer step on a batch; returns the batch's loss and metric. */
function trainStep(
  model: Module,
  optimizer: Optimizer,
  { x, y }: LabelledBatch,
  loss: LossFn,
  metric: MetricFn | undefined,
): { loss: number; metric: number | null } {
  optimizer.zeroGrad();
  const values = tidy(() => {
    const out = model.call(x);
    const value = loss(out, y);
    const measured = { loss: value.item(), metric: metric === undefined ? null : metric(out, y) };
    backward(value);
    return measured;
  });
  optimizer.step();
  model.applyConstraints();
  return values;
}

function* epochsOf(
  model: Module,
  optimizer: Optimizer,
  options: FitOptions,
  op: string,
): Generator<FitEpoch> {
  const { train, test, loss, metric, onStep, onEpoch } = options;
  const report = (epoch: FitEpoch): FitEpoch => {
    onEpoch?.(epoch);
    return epoch;
  };
  const evaluateTest = (): Evaluation | null =>
    test === undefined ? null : evaluateBatches(model, test, loss, metric, op, 'test');
  if (options.seed !== undefined) manualSeed(options.seed);
  if (options.evaluateInitial === true)
    yield report({ epoch: 0, train: null, test: evaluateTest(), seconds: 0 });
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    model.train();
    const started = performance.now();
    const mean = new RunningMean(metric !== undefined);
    let step = 0;
    for (const batch of train) {
      const values = trainStep(model, optimizer, batch, loss, metric);
      const rows = batch.x.shape[0]!;
      mean.add(values.loss, values.metric, rows);
      onStep?.({ epoch, step: step++, loss: values.loss, metric: values.metric, rows });
    }
    if (mean.rows === 0) {
      throw new ArgumentError(
        `${op}: train gave no batches in epoch ${epoch}; expected an iterable that restarts each epoch (an array, a DataLoader), not a spent iterator`,
      );
    }
    const seconds = (performance.now() - started) / 1000;
    yield report({ epoch, train: mean.result(), test: evaluateTest(), seconds });
  }
}

/**
 * The training loop, one epoch at a time: checks its arguments (one `ArgumentError` line for a bad
 * one, before any work), then yields epoch 0 (with `evaluateInitial`) and, per epoch, trains on
 * every `train` batch in training mode (zero the gradients, forward, loss, `backward`, optimizer
 * step, `applyConstraints()`; each step's intermediates freed), evaluates `test` and yields the
 * epoch's `FitEpoch`. The caller can await between epochs, so that a long run does not block its
 * event loop for its whole length; `fit` runs it to the end.
 *
 * @example
 * const train = new DataLoader(x, y, { batchSize: 64, shuffle: true, rng: 0 });
 * const test = new DataLoader(xTest, yTest, { batchSize: 1000 });
 * for (const e of fitEpochs(model, optimizer, { train, test, epochs: 10, loss: crossEntropy, metric: accuracy })) {
 *   console.log(e.epoch, e.test?.metric);
 *   await new Promise((resolve) => setTimeout(resolve, 0));
 * }
 */
export function fitEpochs(model: Module, optimizer: Optimizer, options: FitOptions): Generator<FitEpoch> {
  const op = 'fitEpochs';
  checkFitArguments(model, optimizer, options, op);
  return epochsOf(model, optimizer, options, op);
}

/**
 * Trains `model` with `optimizer` for `options.epochs` epochs over the `train` batches (see
 * `fitEpochs` for the loop), calling `onStep` after every step and `onEpoch` after every epoch, and
 * returns every epoch's `FitEpoch` (the history). Bad arguments throw one `ArgumentError` line
 * naming the culprit and the expected form, before any work.
 *
 * @example
 * const history = fit(model, new Adam(model.parameters(), { lr: 0.01 }), {
 *   train: new DataLoader(x, y, { batchSize: 64, shuffle: true, rng: 0 }),
 *   test: [{ x: xTest, y: yTest }],
 *   epochs: 20,
 *   loss: crossEntropy,
 *   metric: accuracy,
 *   seed: 0,
 *   onEpoch: (e) => console.log(`epoch ${e.epoch}: test accuracy ${e.test?.metric}`),
 * });
 */
export function fit(model: Module, optimizer: Optimizer, options: FitOptions): FitEpoch[] {
  const op = 'fit';
  checkFitArguments(model, optimizer, options, op);
  return [...epochsOf(model, optimizer, options, op)];
}
