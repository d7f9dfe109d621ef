import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { Rng, gather, tensor, type Tensor } from '@fbt/tensor';
import { Adam, accuracy, crossEntropy, fit, type LabelledBatch, type Module } from '../src';

/** A labelled point set: `x` float32 `[N, 2]`, `y` int32 `[N]`. */
export interface PointSet {
  readonly x: Tensor;
  readonly y: Tensor;
}

/**
 * scikit-learn's `make_moons`: ⌊n/2⌋ points on the upper half circle (label 0), the rest on the
 * lower one shifted by (1, −0.5) (label 1), shuffled, plus N(0, noise²) on every coordinate.
 */
export function makeMoons(n: number, noise: number, seed: number): { x: Float32Array; y: Int32Array } {
  const rng = new Rng(seed);
  const nOuter = Math.floor(n / 2);
  const nInner = n - nOuter;
  const points = new Float32Array(n * 2);
  const labels = new Int32Array(n);
  for (let i = 0; i < nOuter; i++) {
    const t = (Math.PI * i) / Math.max(1, nOuter - 1);
    points[2 * i] = Math.cos(t);
    points[2 * i + 1] = Math.sin(t);
  }
  for (let i = 0; i < nInner; i++) {
    const t = (Math.PI * i) / Math.max(1, nInner - 1);
    const k = nOuter + i;
    points[2 * k] = 1 - Math.cos(t);
    points[2 * k + 1] = 1 - Math.sin(t) - 0.5;
    labels[k] = 1;
  }
  const order = rng.permutation(n);
  const x = new Float32Array(n * 2);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const j = order[i]!;
    x[2 * i] = points[2 * j]! + noise * rng.normal();
    x[2 * i + 1] = points[2 * j + 1]! + noise * rng.normal();
    y[i] = labels[j]!;
  }
  return { x, y };
}

/** Splits the first `trainCount` rows off as the training set; the rest is the test set. */
export function moonsSplit(
  n: number,
  noise: number,
  seed: number,
  trainCount: number,
): { train: PointSet; test: PointSet } {
  const { x, y } = makeMoons(n, noise, seed);
  const part = (from: number, to: number): PointSet => ({
    x: tensor(x.slice(2 * from, 2 * to), [to - from, 2]),
    y: tensor(y.slice(from, to), [to - from]),
  });
  return { train: part(0, trainCount), test: part(trainCount, n) };
}

/** The values of a tensor as a plain array. */
export function values(t: Tensor): number[] {
  return Array.from(t.dataSync());
}

/** The bytes of a committed fixture `test/fixtures/<name>.safetensors` (written by PyTorch 1.13 scripts there). */
export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`./fixtures/${name}.safetensors`, import.meta.url)));
}

/**
 * Expects `actual` to have `expected`'s shape and every element within
 * `tolerance·(1 + |expected|)` of it (`label` names the tensor in a failure).
 */
export function expectClose(actual: Tensor, expected: Tensor, tolerance = 1e-5, label = ''): void {
  expect(actual.shape, label).toEqual(expected.shape);
  const a = values(actual);
  values(expected).forEach((e, i) =>
    expect(Math.abs(a[i]! - e), `${label}[${i}]: ${a[i]} vs ${e}`).toBeLessThanOrEqual(
      tolerance * (1 + Math.abs(e)),
    ),
  );
}

/** Settings of `trainClassifier`. */
export interface TrainSettings {
  readonly epochs: number;
  readonly batchSize: number;
  readonly lr: number;
  /** Seed of the minibatch order. */
  readonly seed: number;
}

/**
 * Trains `model` with `fit` (Adam on cross-entropy) over minibatches reshuffled every epoch from
 * `settings.seed`; returns the final test accuracy (eval mode).
 */
export function trainClassifier(
  model: Module,
  train: PointSet,
  test: PointSet,
  settings: TrainSettings,
): number {
  const rng = new Rng(settings.seed);
  const n = train.y.size;
  const batches: Iterable<LabelledBatch> = {
    *[Symbol.iterator]() {
      const order = rng.permutation(n);
      for (let start = 0; start < n; start += settings.batchSize) {
        const rows = order.slice(start, start + settings.batchSize);
        const index = tensor(rows, [rows.length]);
        const batch = { x: gather(train.x, index), y: gather(train.y, index) };
        yield batch;
        for (const t of [index, batch.x, batch.y]) t.dispose();
      }
    },
  };
  const history = fit(model, new Adam(model.parameters(), { lr: settings.lr }), {
    train: batches,
    test: [test],
    epochs: settings.epochs,
    loss: crossEntropy,
    metric: accuracy,
  });
  return history.at(-1)!.test!.metric!;
}
