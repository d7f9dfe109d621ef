import { backward } from '@fbt/autograd';
import { Rng, div, sum, tidy, type Tensor } from '@fbt/tensor';
import type { RuleLike } from '@fbt/surrogates';
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
} from '@fbt/layers';
import { DataLoader, trainTestSplit } from '@fbt/datasets';
import { loadDigits } from '@fbt/datasets/node';

// DIGITS (1797 8×8 images), pixels scaled to [0, 1], split 80/20; everything below is seeded.
const digits = loadDigits();
const { train, test } = trainTestSplit(div(digits.features, 16), digits.labels, {
  testFraction: 0.2,
  rng: 1,
});
const STEPS = 10; // time steps of the rate code

// The class scores are the output layer's spike counts over the T steps of a rate-coded image.
const spikeCounts = (model: Module, images: Tensor, rng: Rng): Tensor =>
  sum(model.call(rateEncode(images, STEPS, rng)), 0);

// 64 inputs → 64 leaky integrate-and-fire neurons → 10 output neurons, 5 epochs of Adam.
// The spike is a Heaviside step; only its backward rule (spikeGrad) changes between runs.
function testAccuracy(spikeGrad: RuleLike): number {
  const rng = new Rng(0);
  const model = new Sequential(
    new TimeDistributed(new Linear(64, 64, { rng })), // one matmul for all T steps
    new Leaky({ beta: 0.9, spikeGrad }),
    new TimeDistributed(new Linear(64, 10, { rng })),
    new Leaky({ beta: 0.9, spikeGrad }),
  );
  const optimizer = new Adam(model.parameters(), { lr: 0.01 });
  const loader = new DataLoader(train.x, train.y, { batchSize: 64, shuffle: true, rng: 2 });
  for (let epoch = 0; epoch < 5; epoch++) {
    for (const batch of loader) {
      tidy(() => {
        optimizer.zeroGrad();
        backward(crossEntropy(spikeCounts(model, batch.x, rng), batch.y));
        optimizer.step();
      });
    }
  }
  const result = tidy(() => accuracy(spikeCounts(model, test.x, rng), test.y));
  model.dispose();
  optimizer.dispose();
  return Number(result.toFixed(3));
}

// atan (snnTorch's default surrogate): ψ(z) = (α/2) / (1 + (παz/2)²), so gradients flow through time.
console.log('atan', testAccuracy('atan')); // → atan 0.933
// tied (ordinary backprop): H′ = 0, an exactly zero gradient: the network never moves from chance.
console.log('tied', testAccuracy('tied')); // → tied 0.111
