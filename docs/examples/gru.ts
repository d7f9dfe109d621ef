import { backward } from '@fbt/autograd';
import { Rng, reshape, tensor, tidy, type Tensor } from '@fbt/tensor';
import { rule } from '@fbt/surrogates';
import { Adam, GRU, Linear, Module, accuracy, crossEntropy, type RecurrentRules } from '@fbt/layers';
import { DataLoader } from '@fbt/datasets';

// A toy sequence task: 11 steps of N(0, 1) noise; the class is 1 when most steps are positive.
function majoritySequences(n: number, seed: number): { x: Tensor; y: Tensor } {
  const x = new Rng(seed).fillNormal(new Float32Array(n * 11), 0, 1); // batch first: [n, 11, 1]
  const y = Int32Array.from({ length: n }, (_, i) => {
    const positive = x.subarray(11 * i, 11 * i + 11).filter((v) => v > 0).length;
    return positive > 5 ? 1 : 0;
  });
  return { x: tensor(x, [n, 11, 1]), y: tensor(y, [n]) };
}

// A GRU (16 units) read out by a linear layer from its final hidden state.
class Classifier extends Module {
  readonly gru: GRU;
  readonly head: Linear;
  constructor(rules: RecurrentRules, rng: Rng) {
    super();
    this.gru = this.registerModule('gru', new GRU(1, 16, { rng, batchFirst: true, rules }));
    this.head = this.registerModule('head', new Linear(16, 2, { rng }));
  }
  forward(x: Tensor): Tensor {
    const { hN } = this.gru.run(x); // [1 layer, N, 16]
    return this.head.call(reshape(hN, [x.shape[0]!, 16]));
  }
}

const train = majoritySequences(600, 1);
const test = majoritySequences(500, 2);

// 12 epochs of Adam; only the backward rules of the gates (σ) and the candidate (tanh) change.
function testAccuracy(rules: RecurrentRules): number {
  const model = new Classifier(rules, new Rng(0));
  const optimizer = new Adam(model.parameters(), { lr: 0.02 });
  const loader = new DataLoader(train.x, train.y, { batchSize: 50, shuffle: true, rng: 3 });
  for (let epoch = 0; epoch < 12; epoch++) {
    for (const batch of loader) {
      tidy(() => {
        optimizer.zeroGrad();
        backward(crossEntropy(model.call(batch.x), batch.y));
        optimizer.step();
      });
    }
  }
  const result = tidy(() => accuracy(model.call(test.x), test.y));
  model.dispose();
  optimizer.dispose();
  return result;
}

// tied: ordinary backpropagation through time.
console.log('tied', testAccuracy({})); // → tied 0.924
// σ′ of the gates replaced by the constant 0.25 (σ′'s peak), tanh′ of the candidate by 1[−1 ≤ z ≤ 1].
const rules = { gates: rule('constant', { c: 0.25 }), candidate: rule('rectangular', { a: -1, b: 1 }) };
console.log('constant/rectangular', testAccuracy(rules)); // → constant/rectangular 0.904
