import { backward } from '@fbt/autograd';
import { Rng, tidy } from '@fbt/tensor';
import { rule, type RuleLike } from '@fbt/surrogates';
import { Activation, Adam, Linear, Sequential, accuracy, crossEntropy } from '@fbt/layers';
import { DataLoader, trainTestSplit, twoMoons } from '@fbt/datasets';

// Two interleaving half circles, 1000 points, split 80/20 (all seeded).
const { x, y } = twoMoons({ n: 1000, noise: 0.1, rng: 1 });
const { train, test } = trainTestSplit(x, y, { testFraction: 0.2, rng: 2 });

// 2 inputs → 8 Heaviside units H(z) = 1[z ≥ 0] → 2 classes, trained for 40 epochs with Adam.
// Only the backward rule of the hidden layer changes between runs; everything else is seeded.
function testAccuracy(backwardRule: RuleLike): number {
  const rng = new Rng(0);
  const model = new Sequential(
    new Linear(2, 8, { rng }),
    new Activation('heaviside', backwardRule),
    new Linear(8, 2, { rng }),
  );
  const optimizer = new Adam(model.parameters(), { lr: 0.02 });
  const loader = new DataLoader(train.x, train.y, { batchSize: 50, shuffle: true, rng: 3 });
  for (let epoch = 0; epoch < 40; epoch++) {
    for (const batch of loader) {
      tidy(() => {
        optimizer.zeroGrad();
        backward(crossEntropy(model.call(batch.x), batch.y));
        optimizer.step();
      });
    }
  }
  model.eval();
  const result = tidy(() => accuracy(model.call(test.x), test.y));
  model.dispose();
  optimizer.dispose();
  return result;
}

// tied (ordinary backprop): g·H′(z) = 0, so the hidden layer never moves; only the output layer learns.
console.log('tied', testAccuracy('tied')); // → tied 0.725
// rectangular: g·1[−1 ≤ z ≤ 1], so the gradient reaches the hidden layer and it learns too.
console.log('rectangular', testAccuracy(rule('rectangular', { a: -1, b: 1 }))); // → rectangular 0.89
