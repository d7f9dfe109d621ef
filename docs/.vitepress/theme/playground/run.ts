import { manualSeed } from '@fbt/autograd';
import { backward } from '@fbt/autograd';
import { DataLoader, type Batch } from '@fbt/datasets';
import {
  Activation,
  Adam,
  AdamW,
  Linear,
  SGD,
  Sequential,
  accuracy,
  crossEntropy,
  type Optimizer,
} from '@fbt/layers';
import { Rng, softmax, tensor, tidy, type Tensor } from '@fbt/tensor';
import { probeDirections } from '../../../../apps/repro/src/train/probe';
import type { PlaygroundData } from './data';
import type { OptimizerName, Settings } from './settings';

/** Samples per optimizer step. */
export const BATCH_SIZE = 32;

/** The per-layer cosine between the chosen rule's gradient and the tied gradient (Proposition 1). */
export interface LayerCosine {
  /** Parameter name, e.g. `0.weight` (the first Linear layer's weights). */
  readonly layer: string;
  /** cos(∇ with the rule, ∇ with `tied`) on one batch; 0 when either gradient is zero. */
  readonly cosine: number;
}

/** What a run reports every `reportEvery` steps. */
export interface Report {
  /** Optimizer steps taken so far. */
  readonly step: number;
  /** Mean training loss over the steps since the previous report. */
  readonly loss: number;
  /** Accuracy on the test set. */
  readonly testAccuracy: number;
  /** Per-layer cosine on the batch of the last step, before that step. */
  readonly cosines: readonly LayerCosine[];
  /** P(class) on `grid`'s points, `classes` numbers per point, when a grid was given. */
  readonly grid?: Float32Array;
}

/** How a run reports. */
export interface RunOptions {
  /** Report after every this many steps (and after the last). */
  readonly reportEvery: number;
  /** Points (`[n, 2]`) at which to evaluate the model's class probabilities for the decision boundary. */
  readonly grid?: Tensor;
}

function optimizerFor(name: OptimizerName, params: Tensor[], lr: number): Optimizer {
  if (name === 'sgd') return new SGD(params, { lr, momentum: 0.9 });
  return name === 'adamw' ? new AdamW(params, { lr }) : new Adam(params, { lr });
}

/** The network of a run: Linear → activation for every hidden width, then a Linear to the classes. */
export function buildModel(settings: Settings, features: number, classes: number, rng: Rng): Sequential {
  const layers = [];
  let inputs = features;
  for (const width of settings.hidden) {
    layers.push(
      new Linear(inputs, width, { rng }),
      new Activation(settings.forward, settings.rule, {
        forward: settings.forwardParams,
        backward: settings.ruleParams,
      }),
    );
    inputs = width;
  }
  layers.push(new Linear(inputs, classes, { rng }));
  return new Sequential(...layers);
}

/** The loader's batches, epoch after epoch, without end. */
function* endless(loader: DataLoader): Generator<Batch> {
  for (;;) yield* loader;
}

const objective = { loss: crossEntropy, accuracy: (out: Tensor, y: Tensor) => accuracy(out, y) };

/**
 * Trains a network on `data` as `settings` say, one mini-batch per step, and yields a report every
 * `options.reportEvery` steps and after the last one. Everything random (initial weights, batch order,
 * the rules' draws) derives from `settings.seed`, so a run is repeatable. The caller disposes `data`
 * and the grid; the run disposes its model when it ends or is stopped (`return()` on the iterator).
 */
export function* train(settings: Settings, data: PlaygroundData, options: RunOptions): Generator<Report> {
  manualSeed(settings.seed);
  const rng = new Rng(settings.seed);
  const model = buildModel(settings, data.features, data.classes, rng);
  const optimizer = optimizerFor(settings.optimizer, model.parameters(), settings.lr);
  const loader = new DataLoader(data.train.x, data.train.y, {
    batchSize: BATCH_SIZE,
    shuffle: true,
    rng: settings.seed + 2,
  });
  const batches = endless(loader);
  try {
    let total = 0;
    let since = 0;
    for (let step = 1; step <= settings.steps; step++) {
      const batch = batches.next().value as Batch;
      const last = step % options.reportEvery === 0 || step === settings.steps;
      model.train();
      const cosines = last ? probeDirections(model, objective, batch.x, batch.y) : [];
      total += tidy(() => {
        optimizer.zeroGrad();
        const loss = crossEntropy(model.call(batch.x), batch.y);
        backward(loss);
        optimizer.step();
        return loss.item();
      });
      since++;
      if (!last) continue;
      model.eval();
      const testAccuracy = tidy(() => accuracy(model.call(data.test.x), data.test.y));
      const grid =
        options.grid && tidy(() => Float32Array.from(softmax(model.call(options.grid!), 1).dataSync()));
      yield {
        step,
        loss: total / since,
        testAccuracy,
        cosines: cosines.map(({ layer, cosine }) => ({ layer, cosine })),
        ...(grid ? { grid } : {}),
      };
      total = 0;
      since = 0;
    }
  } finally {
    batches.return(undefined);
    model.dispose();
    optimizer.dispose();
  }
}

/** `[side·side, 2]` points covering `bounds` row by row from the top (largest y), for the decision boundary. */
export function gridPoints(side: number, bounds: Bounds): Tensor {
  const points = new Float32Array(2 * side * side);
  for (let row = 0; row < side; row++) {
    for (let col = 0; col < side; col++) {
      const k = row * side + col;
      points[2 * k] = bounds.x0 + ((col + 0.5) / side) * (bounds.x1 - bounds.x0);
      points[2 * k + 1] = bounds.y1 - ((row + 0.5) / side) * (bounds.y1 - bounds.y0);
    }
  }
  return tensor(points, [side * side, 2]);
}

/** A rectangle of the plane. */
export interface Bounds {
  readonly x0: number;
  readonly x1: number;
  readonly y0: number;
  readonly y1: number;
}

/** The rectangle around 2-D points (`x₀ y₀ x₁ y₁ …`) with a `margin` fraction added on each side. */
export function boundsOf(points: Float32Array, margin = 0.1): Bounds {
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i < points.length; i += 2) {
    x0 = Math.min(x0, points[i]!);
    x1 = Math.max(x1, points[i]!);
    y0 = Math.min(y0, points[i + 1]!);
    y1 = Math.max(y1, points[i + 1]!);
  }
  const dx = (x1 - x0) * margin;
  const dy = (y1 - y0) * margin;
  return { x0: x0 - dx, x1: x1 + dx, y0: y0 - dy, y1: y1 + dy };
}
