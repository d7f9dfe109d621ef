import { describe, expect, it } from 'vitest';
import { backward } from '@fbt/autograd';
import { Rng, gather, sum, tensor, tidy, type Tensor } from '@fbt/tensor';
import {
  Adam,
  Leaky,
  Linear,
  Sequential,
  TimeDistributed,
  accuracy,
  crossEntropy,
  rateEncode,
  type Module,
} from '../src';
import { values } from './helpers';

/*
 * A seeded spiking MLP, rate-coded over T = 8 steps, on a synthetic 4-class task: each class
 * lights one block of 4 of the 16 inputs (intensities U(0.5, 1) in the block, U(0, 0.3) elsewhere).
 * Trained on spike counts with cross-entropy, an SNN surrogate learns it; the tied rule's gradient
 * is exactly zero, so its weights never move and it stays at chance.
 */

const CLASSES = 4;
const FEATURES = 16;
const STEPS = 8;

function blocks(n: number, seed: number): { x: Tensor; y: Tensor } {
  const rng = new Rng(seed);
  const x = new Float32Array(n * FEATURES);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % CLASSES;
    for (let f = 0; f < FEATURES; f++) {
      const lit = Math.floor(f / (FEATURES / CLASSES)) === y[i];
      x[i * FEATURES + f] = lit ? 0.5 + 0.5 * rng.uniform() : 0.3 * rng.uniform();
    }
  }
  return { x: tensor(x, [n, FEATURES]), y: tensor(y, [n]) };
}

function spikingMlp(spikeGrad: string): Sequential {
  const rng = new Rng(7);
  return new Sequential(
    new TimeDistributed(new Linear(FEATURES, 24, { rng })),
    new Leaky({ beta: 0.8, spikeGrad }),
    new TimeDistributed(new Linear(24, CLASSES, { rng })),
    new Leaky({ beta: 0.8, spikeGrad }),
  );
}

/** Spike counts `[N, classes]` of the network on rate-coded `x`. */
const counts = (model: Module, x: Tensor, rng: Rng): Tensor => sum(model.call(rateEncode(x, STEPS, rng)), 0);

/** Trains with Adam on the spike counts; returns the test accuracy. */
function train(model: Module): number {
  const data = blocks(160, 1);
  const test = blocks(80, 2);
  const rng = new Rng(3);
  const optimizer = new Adam(model.parameters(), { lr: 0.02 });
  for (let epoch = 0; epoch < 6; epoch++) {
    const order = rng.permutation(160);
    for (let start = 0; start < 160; start += 16) {
      tidy(() => {
        const index = tensor(order.slice(start, start + 16), [16]);
        const loss = crossEntropy(counts(model, gather(data.x, index), rng), gather(data.y, index));
        optimizer.zeroGrad();
        backward(loss);
        optimizer.step();
      });
    }
  }
  return tidy(() => accuracy(counts(model, test.x, rng), test.y));
}

describe('a spiking MLP trains with a surrogate and not with the tied rule', () => {
  it.each(['atan', 'fastSigmoid'])('%s reaches ≥ 95 % test accuracy', (spikeGrad) => {
    expect(train(spikingMlp(spikeGrad))).toBeGreaterThanOrEqual(0.95);
  });

  it('tied: exactly zero gradients, unchanged weights, accuracy at chance (≤ 35 %)', () => {
    const model = spikingMlp('tied');
    const before = model.parameters().map(values);
    const acc = train(model);
    expect(model.parameters().map(values)).toEqual(before);
    for (const p of model.parameters()) expect(values(p.grad!).every((g) => g === 0)).toBe(true);
    expect(acc).toBeLessThanOrEqual(0.35);
  });
});
