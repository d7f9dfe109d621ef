import { backward } from '@fbt/autograd';
import { Rng, add, arange, cast, gather, mean, tensor, tidy, type Tensor } from '@fbt/tensor';
import {
  Adam,
  Embedding,
  Linear,
  Module,
  TransformerEncoderLayer,
  accuracy,
  crossEntropy,
} from '@fbt/layers';

// A toy task: 6 tokens holding one A (token 1), one B (token 2) and fillers (0, 3, 4);
// the label says whether A comes before B, so the model has to use the positions.
const LENGTH = 6;
function orderTask(n: number, rng: Rng): { tokens: Tensor; labels: Tensor } {
  const tokens = new Int32Array(n * LENGTH);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const row = tokens.subarray(i * LENGTH, (i + 1) * LENGTH);
    for (let t = 0; t < LENGTH; t++) row[t] = [0, 3, 4][rng.int(3)]!;
    const [a, b] = rng.permutation(LENGTH);
    row[a!] = 1;
    row[b!] = 2;
    labels[i] = a! < b! ? 1 : 0;
  }
  return { tokens: tensor(tokens, [n, LENGTH], 'int32'), labels: tensor(labels, [n], 'int32') };
}

// Token and position embeddings → one encoder layer → mean over positions → 2 classes.
class OrderClassifier extends Module {
  private readonly tokens: Embedding;
  private readonly positions: Embedding;
  private readonly encoder: TransformerEncoderLayer;
  private readonly head: Linear;

  constructor(rng: Rng) {
    super();
    this.tokens = this.registerModule('tokens', new Embedding(5, 16, { rng }));
    this.positions = this.registerModule('positions', new Embedding(LENGTH, 16, { rng }));
    this.encoder = this.registerModule(
      'encoder',
      new TransformerEncoderLayer(16, 2, { rng, dimFeedforward: 32, dropout: 0, batchFirst: true }),
    );
    this.head = this.registerModule('head', new Linear(16, 2, { rng }));
  }

  override forward(x: Tensor): Tensor {
    const position = this.positions.call(cast(arange(LENGTH), 'int32')); // [LENGTH, 16], broadcast over the batch
    return this.head.call(mean(this.encoder.call(add(this.tokens.call(x), position)), 1));
  }
}

// Everything random (data, initial weights, batch order) comes from one seeded generator.
const rng = new Rng(0);
const train = orderTask(512, rng);
const test = orderTask(256, rng);
const model = new OrderClassifier(rng);
const optimizer = new Adam(model.parameters(), { lr: 0.01 });
for (let epoch = 0; epoch < 10; epoch++) {
  const order = rng.permutation(512);
  for (let start = 0; start < 512; start += 32) {
    tidy(() => {
      const batch = tensor(order.slice(start, start + 32), [32], 'int32');
      optimizer.zeroGrad();
      backward(crossEntropy(model.call(gather(train.tokens, batch)), gather(train.labels, batch)));
      optimizer.step();
    });
  }
}
model.eval();
const testAccuracy = tidy(() => accuracy(model.call(test.tokens), test.labels));
console.log('accuracy', testAccuracy); // → accuracy 1
