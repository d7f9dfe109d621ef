import { noGrad } from '@fbt/autograd';
import { ArgumentError, checkOptions, tidy, type Tensor } from '@fbt/tensor';
import { Module } from '../module';
import { assertFunction, assertInstance, assertIterable } from './checks';

/**
 * One batch of row-aligned inputs `x` (`[N, …]`) and targets `y` (`[N, …]`, e.g. int32 labels),
 * the shape of a `DataLoader` batch from `@fbt/datasets`.
 */
export interface LabelledBatch {
  readonly x: Tensor;
  readonly y: Tensor;
}

/** A loss: the model's output on a batch and the batch's targets to a scalar tensor (e.g. `crossEntropy`). */
export type LossFn = (output: Tensor, target: Tensor) => Tensor;

/** A score of a batch: the model's output and the targets to a number (e.g. `accuracy`). */
export type MetricFn = (output: Tensor, target: Tensor) => number;

/** Mean loss and metric over the rows of some batches. */
export interface Evaluation {
  /** Mean of the batch losses, each weighted by its rows (NaN or ±∞ when one was). */
  readonly loss: number;
  /** Mean of the batch metrics, weighted the same way; null when no metric was given. */
  readonly metric: number | null;
}

/** Options of `evaluate`. */
export interface EvaluateOptions {
  /** The loss of a batch. */
  readonly loss: LossFn;
  /** A score of a batch (e.g. `accuracy`); without it, `metric` is null. */
  readonly metric?: MetricFn;
}

/** Sums of the row-weighted losses and metrics of the batches seen so far. */
export class RunningMean {
  private lossSum = 0;
  private metricSum = 0;
  /** Rows added so far. */
  rows = 0;

  constructor(private readonly withMetric: boolean) {}

  /** Adds the loss and metric of a batch of `rows` rows. */
  add(loss: number, metric: number | null, rows: number): void {
    this.lossSum += loss * rows;
    this.metricSum += (metric ?? 0) * rows;
    this.rows += rows;
  }

  /** The means so far (NaN before any row). */
  result(): Evaluation {
    return {
      loss: this.lossSum / this.rows,
      metric: this.withMetric ? this.metricSum / this.rows : null,
    };
  }
}

/** `evaluate` without the checks, for `fit`'s loop (`name` names the batches in the error). */
export function evaluateBatches(
  model: Module,
  batches: Iterable<LabelledBatch>,
  loss: LossFn,
  metric: MetricFn | undefined,
  op: string,
  name: string,
): Evaluation {
  const wasTraining = model.training;
  model.eval();
  const mean = new RunningMean(metric !== undefined);
  try {
    noGrad(() => {
      for (const { x, y } of batches) {
        tidy(() => {
          const out = model.call(x);
          mean.add(loss(out, y).item(), metric === undefined ? null : metric(out, y), x.shape[0]!);
        });
      }
    });
  } finally {
    model.train(wasTraining);
  }
  if (mean.rows === 0) {
    throw new ArgumentError(`${op}: ${name} held no rows; expected at least one batch`);
  }
  return mean.result();
}

/**
 * The mean loss (and metric) of `model` over `batches`, in eval mode and without recording
 * gradients; each batch's values are weighted by its rows. The model's training mode is restored
 * afterwards. Each batch's intermediates are freed; the batches stay (a `DataLoader` frees its own).
 * Throws an `ArgumentError` for a model that is not a `Module`, batches that are not iterable, a
 * loss or metric that is not a function, an unknown option, or batches without rows.
 *
 * @example
 * const test = new DataLoader(xTest, yTest, { batchSize: 1000 });
 * evaluate(model, test, { loss: crossEntropy, metric: accuracy }); // { loss: 0.31, metric: 0.91 }
 */
export function evaluate(
  model: Module,
  batches: Iterable<LabelledBatch>,
  options: EvaluateOptions,
): Evaluation {
  const op = 'evaluate';
  assertInstance(model, Module, 'model', op);
  assertIterable(batches, 'batches', op);
  checkOptions(options, { loss: true, metric: true }, op);
  assertFunction(options?.loss, 'loss', 'a function (output, target) => scalar Tensor', op);
  assertFunction(options.metric, 'metric', 'a function (output, target) => number', op, true);
  return evaluateBatches(model, batches, options.loss, options.metric, op, 'batches');
}
