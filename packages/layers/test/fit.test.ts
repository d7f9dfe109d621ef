import { describe, expect, it } from 'vitest';
import { ArgumentError, Rng, slice, tidy } from '@fbt/tensor';
import {
  Activation,
  Adam,
  Linear,
  SGD,
  Sequential,
  accuracy,
  crossEntropy,
  evaluate,
  fit,
  fitEpochs,
  type FitEpoch,
  type FitStep,
  type LabelledBatch,
} from '../src';
import { moonsSplit, values, type PointSet } from './helpers';

const { train, test } = moonsSplit(1000, 0.1, 1, 800);

/** The rows of `set` in consecutive batches of `size`. */
function batchesOf(set: PointSet, size: number): LabelledBatch[] {
  const n = set.y.shape[0]!;
  const out: LabelledBatch[] = [];
  for (let start = 0; start < n; start += size) {
    const count = Math.min(size, n - start);
    out.push({ x: slice(set.x, [start, 0], [count, 2]), y: slice(set.y, [start], [count]) });
  }
  return out;
}

const trainBatches = batchesOf(train, 50);
const testBatches = batchesOf(test, 100);

/** 2 → 16 → 2 with tanh hidden units whose backward is `rule`, initialised from `seed`. */
function mlp(rule: string, seed: number): Sequential {
  const rng = new Rng(seed);
  return new Sequential(new Linear(2, 16, { rng }), new Activation('tanh', rule), new Linear(16, 2, { rng }));
}

const scoring = { loss: crossEntropy, metric: accuracy };

function parameterValues(model: Sequential): number[][] {
  return model.parameters().map(values);
}

describe('fit', () => {
  it('trains a tanh MLP on two moons to at least 97 % test accuracy in 20 epochs (seed 1)', () => {
    const model = mlp('tied', 1);
    const history = fit(model, new Adam(model.parameters(), { lr: 0.02 }), {
      train: trainBatches,
      test: testBatches,
      epochs: 20,
      ...scoring,
      seed: 1,
    });
    expect(history.map((e) => e.epoch)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const last = history.at(-1)!;
    expect(last.test!.metric).toBeGreaterThanOrEqual(0.97);
    expect(last.train!.loss).toBeLessThan(history[0]!.train!.loss);
  });

  it('gives the same bits for the same seed with a stochastic rule (fullJam), other bits for another', () => {
    const run = (seed: number): { history: FitEpoch[]; weights: number[][] } => {
      const model = mlp('fullJam', 2);
      const history = fit(model, new SGD(model.parameters(), { lr: 0.1 }), {
        train: trainBatches.slice(0, 4),
        epochs: 2,
        loss: crossEntropy,
        seed,
      });
      return { history: history.map((e) => ({ ...e, seconds: 0 })), weights: parameterValues(model) };
    };
    const first = run(5);
    expect(run(5)).toEqual(first);
    expect(run(6).weights).not.toEqual(first.weights);
  });

  it('calls onStep and onEpoch with the documented values', () => {
    const model = mlp('tied', 3);
    const before = evaluate(model, testBatches, scoring);
    const firstLoss = tidy(() => crossEntropy(model.call(trainBatches[0]!.x), trainBatches[0]!.y).item());
    const batches = trainBatches
      .slice(0, 3)
      .concat([{ x: slice(train.x, [150, 0], [7, 2]), y: slice(train.y, [150], [7]) }]);
    const steps: FitStep[] = [];
    const epochs: FitEpoch[] = [];
    const history = fit(model, new SGD(model.parameters(), { lr: 0.05, momentum: 0.9 }), {
      train: batches,
      test: testBatches,
      epochs: 2,
      ...scoring,
      evaluateInitial: true,
      onStep: (s) => steps.push(s),
      onEpoch: (e) => epochs.push(e),
    });
    expect(epochs).toEqual(history);
    epochs.forEach((e, i) => expect(e).toBe(history[i]));
    expect(history[0]).toEqual({ epoch: 0, train: null, test: before, seconds: 0 });
    expect(steps.map((s) => [s.epoch, s.step, s.rows])).toEqual([
      [1, 0, 50],
      [1, 1, 50],
      [1, 2, 50],
      [1, 3, 7],
      [2, 0, 50],
      [2, 1, 50],
      [2, 2, 50],
      [2, 3, 7],
    ]);
    expect(steps[0]!.loss).toBe(firstLoss);
    for (const epoch of [1, 2]) {
      const own = steps.filter((s) => s.epoch === epoch);
      const mean = (pick: (s: FitStep) => number): number =>
        own.reduce((sum, s) => sum + pick(s) * s.rows, 0) / own.reduce((sum, s) => sum + s.rows, 0);
      expect(history[epoch]!.train).toEqual({ loss: mean((s) => s.loss), metric: mean((s) => s.metric!) });
      expect(history[epoch]!.seconds).toBeGreaterThan(0);
    }
    expect(history[2]!.test).toEqual(evaluate(model, testBatches, scoring));
    expect(model.training).toBe(true);
  });

  it('reports null metrics and no test without them', () => {
    const model = mlp('tied', 4);
    const [epoch] = fit(model, new SGD(model.parameters(), { lr: 0.1 }), {
      train: trainBatches.slice(0, 2),
      epochs: 1,
      loss: crossEntropy,
    });
    expect(epoch!.test).toBeNull();
    expect(epoch!.train!.metric).toBeNull();
    expect(Number.isFinite(epoch!.train!.loss)).toBe(true);
  });
});

describe('fitEpochs', () => {
  it('yields one epoch at a time, as fit reports them', () => {
    const run = (): Sequential => mlp('tied', 5);
    const options = {
      train: trainBatches.slice(0, 4),
      test: testBatches,
      epochs: 3,
      ...scoring,
      evaluateInitial: true,
    };
    const a = run();
    const history = fit(a, new SGD(a.parameters(), { lr: 0.1 }), options);
    const b = run();
    const epochs = fitEpochs(b, new SGD(b.parameters(), { lr: 0.1 }), options);
    for (const expected of history) {
      const { value } = epochs.next();
      expect({ ...(value as FitEpoch), seconds: 0 }).toEqual({ ...expected, seconds: 0 });
    }
    expect(epochs.next().done).toBe(true);
  });
});

describe('bad arguments', () => {
  const model = mlp('tied', 6);
  const optimizer = new SGD(model.parameters(), { lr: 0.1 });
  const base = { train: trainBatches, epochs: 1, loss: crossEntropy };
  const cases: [string, () => unknown, string][] = [
    [
      'a model that is no Module',
      () => fit({} as never, optimizer, base),
      'fit: model is an object (Object); expected a Module',
    ],
    [
      'an optimizer that is no Optimizer',
      () => fit(model, null as never, base),
      'fit: optimizer is null; expected an Optimizer',
    ],
    [
      'no options',
      () => fit(model, optimizer, undefined as never),
      'fit: no options; expected { train, epochs, loss, … }',
    ],
    [
      'an unknown option',
      () => fit(model, optimizer, { ...base, lr: 0.1 } as never),
      "fit: unknown option 'lr'; valid options: train, epochs, loss, metric, test, evaluateInitial, seed, onStep, onEpoch",
    ],
    [
      'a tensor as train',
      () => fit(model, optimizer, { ...base, train: train.x as never }),
      'fit: train is an object (Tensor); expected an iterable of { x, y } batches (an array, a DataLoader)',
    ],
    [
      'a test that is not iterable',
      () => fit(model, optimizer, { ...base, test: 3 as never }),
      'fit: test is 3; expected an iterable of { x, y } batches (an array, a DataLoader)',
    ],
    [
      'fractional epochs',
      () => fit(model, optimizer, { ...base, epochs: 1.5 }),
      'fit: epochs=1.5; expected an integer >= 0',
    ],
    [
      'negative epochs',
      () => fit(model, optimizer, { ...base, epochs: -1 }),
      'fit: epochs=-1; expected an integer >= 0',
    ],
    [
      'no loss',
      () => fit(model, optimizer, { ...base, loss: undefined as never }),
      'fit: loss is undefined; expected a function (output, target) => scalar Tensor',
    ],
    [
      'a metric by name',
      () => fit(model, optimizer, { ...base, metric: 'accuracy' as never }),
      "fit: metric is 'accuracy'; expected a function (output, target) => number",
    ],
    [
      'an onEpoch that is no function',
      () => fit(model, optimizer, { ...base, onEpoch: true as never }),
      'fit: onEpoch is true; expected a function',
    ],
    [
      'a negative seed',
      () => fit(model, optimizer, { ...base, seed: -1 }),
      'fit: seed=-1; expected an integer in [0, 2^32)',
    ],
    [
      'a seed of 2^32',
      () => fit(model, optimizer, { ...base, seed: 2 ** 32 }),
      'fit: seed=4294967296; expected an integer in [0, 2^32)',
    ],
    [
      'evaluateInitial without test',
      () => fit(model, optimizer, { ...base, evaluateInitial: true }),
      'fit: evaluateInitial needs test batches; expected a test option',
    ],
    [
      'fitEpochs with bad epochs, at the call',
      () => fitEpochs(model, optimizer, { ...base, epochs: Number.NaN }),
      'fitEpochs: epochs=NaN; expected an integer >= 0',
    ],
    [
      'evaluate without a loss',
      () => evaluate(model, testBatches, {} as never),
      'evaluate: loss is undefined; expected a function (output, target) => scalar Tensor',
    ],
    [
      'evaluate with an unknown option',
      () => evaluate(model, testBatches, { loss: crossEntropy, metrics: accuracy } as never),
      "evaluate: unknown option 'metrics'; valid options: loss, metric",
    ],
    [
      'evaluate on no batches',
      () => evaluate(model, [], { loss: crossEntropy }),
      'evaluate: batches held no rows; expected at least one batch',
    ],
  ];

  it.each(cases)('refuses %s in one line, before any step', (_, call, message) => {
    const weights = parameterValues(model);
    expect(call).toThrow(ArgumentError);
    expect(call).toThrow(message);
    expect(message).not.toContain('\n');
    expect(parameterValues(model)).toEqual(weights);
  });

  it('refuses a spent iterator as train in the epoch that finds it empty', () => {
    const once = (function* (): Generator<LabelledBatch> {
      yield* trainBatches.slice(0, 2);
    })();
    const steps: number[] = [];
    const fresh = mlp('tied', 7);
    expect(() =>
      fit(fresh, new SGD(fresh.parameters(), { lr: 0.1 }), {
        ...base,
        train: once,
        epochs: 2,
        onStep: (s) => steps.push(s.epoch),
      }),
    ).toThrow(
      'fit: train gave no batches in epoch 2; expected an iterable that restarts each epoch (an array, a DataLoader), not a spent iterator',
    );
    expect(steps).toEqual([1, 1]);
  });
});
