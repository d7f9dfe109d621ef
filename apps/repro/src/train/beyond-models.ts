import {
  BatchNorm2d,
  Conv2d,
  Flatten,
  GRU,
  LayerNorm,
  Leaky,
  LSTM,
  Linear,
  MaxPool2d,
  Module,
  Sequential,
  TimeDistributed,
  TransformerEncoderLayer,
  rateEncode,
} from '@fbt/layers';
import { rule, type Rule } from '@fbt/surrogates';
import { add, mean, randn, reshape, slice, sum, transpose, type Rng, type Tensor } from '@fbt/tensor';
import type { ModelSpec, RuleSpec } from '../experiments/types';

/** Side of the square images the image models read (MNIST and Fashion-MNIST). */
const IMAGE_SIDE = 28;

/** The rule of a run as a bound `@fbt/surrogates` rule (its parameters' defaults filled in). */
export function boundRule(spec: RuleSpec): Rule {
  return rule(spec.name, spec.params);
}

/**
 * A recurrent classifier reading a 1×28×28 image as 28 steps of 28 pixels (row by row): a GRU or
 * LSTM (batch-first, PyTorch's layout) whose gate and candidate nonlinearities all take the run's
 * rule, then a linear layer on the last layer's final hidden state.
 */
export class RowRecurrentClassifier extends Module {
  private readonly rnn: GRU | LSTM;
  private readonly head: Linear;

  constructor(spec: Extract<ModelSpec, { kind: 'gru' | 'lstm' }>, psi: Rule, classes: number, rng: Rng) {
    super();
    const options = {
      rng,
      numLayers: spec.layers,
      batchFirst: true,
      rules: { gates: psi, candidate: psi },
    };
    const rnn =
      spec.kind === 'gru'
        ? new GRU(IMAGE_SIDE, spec.hidden, options)
        : new LSTM(IMAGE_SIDE, spec.hidden, options);
    this.rnn = this.registerModule('rnn', rnn);
    this.head = this.registerModule('head', new Linear(spec.hidden, classes, { rng }));
  }

  override forward(x: Tensor): Tensor {
    const n = x.shape[0]!;
    const rows = reshape(x, [n, IMAGE_SIDE, IMAGE_SIDE]);
    const { hN } = this.rnn.run(rows);
    const layers = hN.shape[0]!;
    const hidden = hN.shape[2]!;
    const last = reshape(slice(hN, [layers - 1, 0, 0], [1, n, hidden]), [n, hidden]);
    return this.head.call(last);
  }
}

/**
 * A small vision transformer: non-overlapping `patch`×`patch` patches of a 1×28×28 image, embedded
 * by one linear layer plus a learned position embedding, `depth` pre-norm encoder layers
 * (`TransformerEncoderLayer`, `heads` heads, an MLP block of `mlpWidth` with the run's forward and
 * rule), a final LayerNorm, the mean over tokens and a linear head.
 */
export class VisionTransformer extends Module {
  private readonly grid: number;
  private readonly embed: Linear;
  private readonly position: Tensor;
  private readonly layers: TransformerEncoderLayer[];
  private readonly norm: LayerNorm;
  private readonly head: Linear;

  constructor(
    private readonly spec: Extract<ModelSpec, { kind: 'vit' }>,
    forward: string,
    psi: Rule,
    classes: number,
    rng: Rng,
  ) {
    super();
    this.grid = IMAGE_SIDE / spec.patch;
    const tokens = this.grid * this.grid;
    this.embed = this.registerModule('embed', new Linear(spec.patch * spec.patch, spec.width, { rng }));
    this.position = this.registerParameter('position', randn([1, tokens, spec.width], rng, 0, 0.02));
    this.layers = Array.from({ length: spec.depth }, (_, i) =>
      this.registerModule(
        `layer${i}`,
        new TransformerEncoderLayer(spec.width, spec.heads, {
          rng,
          dimFeedforward: spec.mlpWidth,
          dropout: 0,
          activation: forward,
          rule: psi,
          batchFirst: true,
          normFirst: true,
        }),
      ),
    );
    this.norm = this.registerModule('norm', new LayerNorm(spec.width));
    this.head = this.registerModule('head', new Linear(spec.width, classes, { rng }));
  }

  override forward(x: Tensor): Tensor {
    const n = x.shape[0]!;
    const { patch, width } = this.spec;
    const g = this.grid;
    // [N, 1, 28, 28] → [N, g, p, g, p] → [N, g, g, p, p] → one row per patch.
    const patches = transpose(reshape(x, [n, g, patch, g, patch]), [0, 1, 3, 2, 4]);
    const flat = reshape(patches, [n * g * g, patch * patch]);
    let h = add(reshape(this.embed.call(flat), [n, g * g, width]), this.position);
    for (const layer of this.layers) h = layer.call(h);
    return this.head.call(mean(this.norm.call(h), [1]));
  }
}

/**
 * A leaky integrate-and-fire network on rate-coded images: each forward pass draws `steps` Bernoulli
 * spike frames of the input (from the model's own seeded generator), runs the stateless layers on
 * all time steps at once (`TimeDistributed`) and the `Leaky` neurons unrolled over time, each
 * Heaviside spike paired with the run's rule, and returns the output layer's spike counts as logits.
 * `spiking-mlp`: Linear + Leaky per hidden width, then Linear + Leaky to the classes;
 * `spiking-cnn`: conv 5×5 (pad 2) → max-pool 2 → Leaky, conv 5×5 → max-pool 2 → Leaky, then
 * Linear + Leaky to the classes (channels c and 2c), as snnTorch's tutorial CNN.
 */
export class SpikingClassifier extends Module {
  private readonly network: Sequential;
  private readonly steps: number;

  constructor(
    spec: Extract<ModelSpec, { kind: 'spiking-mlp' | 'spiking-cnn' }>,
    inputShape: readonly number[],
    psi: Rule,
    classes: number,
    private readonly rng: Rng,
  ) {
    super();
    this.steps = spec.steps;
    let neurons = 0;
    const lif = () => new Leaky({ beta: spec.beta, spikeGrad: psi, name: `lif${neurons++}` });
    const each = (m: Module) => new TimeDistributed(m);
    const layers: Module[] = [];
    if (spec.kind === 'spiking-mlp') {
      let width = inputShape.reduce((a, b) => a * b, 1);
      layers.push(each(new Flatten()));
      for (const h of spec.hidden) {
        layers.push(each(new Linear(width, h, { rng })), lif());
        width = h;
      }
      layers.push(each(new Linear(width, classes, { rng })), lif());
    } else {
      const c = spec.channels;
      layers.push(
        each(new Conv2d(inputShape[0] ?? 1, c, 5, { padding: 2, rng })),
        each(new MaxPool2d(2)),
        lif(),
        each(new Conv2d(c, 2 * c, 5, { rng })),
        each(new MaxPool2d(2)),
        lif(),
        each(new Flatten()),
        each(new Linear(2 * c * 5 * 5, classes, { rng })),
        lif(),
      );
    }
    this.network = this.registerModule('network', new Sequential(...layers));
  }

  override forward(x: Tensor): Tensor {
    return sum(this.network.call(rateEncode(x, this.steps, this.rng)), [0]);
  }
}

/**
 * A residual block in the style of ResNet's BasicBlock: conv 3×3 (stride s) → BatchNorm → φ →
 * conv 3×3 → BatchNorm, plus the input (through a 1×1 stride-s conv and BatchNorm when the shape
 * changes), then φ. Both φ are activations with the run's rule.
 */
class ResidualBlock extends Module {
  private readonly body: Module[];
  private readonly shortcut: Module[];
  private readonly out: Module;

  constructor(inChannels: number, outChannels: number, stride: number, act: () => Module, rng: Rng) {
    super();
    const conv = (i: number, o: number, k: number, s: number) =>
      new Conv2d(i, o, k, { stride: s, padding: (k - 1) / 2, bias: false, rng });
    this.body = [
      conv(inChannels, outChannels, 3, stride),
      new BatchNorm2d(outChannels),
      act(),
      conv(outChannels, outChannels, 3, 1),
      new BatchNorm2d(outChannels),
    ];
    this.body.forEach((m, i) => this.registerModule(`body${i}`, m));
    this.shortcut =
      stride === 1 && inChannels === outChannels
        ? []
        : [conv(inChannels, outChannels, 1, stride), new BatchNorm2d(outChannels)];
    this.shortcut.forEach((m, i) => this.registerModule(`shortcut${i}`, m));
    this.out = this.registerModule('act', act());
  }

  override forward(x: Tensor): Tensor {
    const y = this.body.reduce((h, m) => m.call(h), x);
    const skip = this.shortcut.reduce((h, m) => m.call(h), x);
    return this.out.call(add(y, skip));
  }
}

/**
 * A ResNet-style network for 1×28×28 images: a 3×3 stem (width w) with BatchNorm and φ, `blocks`
 * residual blocks at width w (28×28), `blocks` at width 2w (the first with stride 2: 14×14), global
 * average pooling and a linear head.
 */
export class ResNet extends Module {
  private readonly layers: Module[];
  private readonly head: Linear;

  constructor(spec: Extract<ModelSpec, { kind: 'resnet' }>, act: () => Module, classes: number, rng: Rng) {
    super();
    const w = spec.width;
    this.layers = [
      new Conv2d(1, w, 3, { padding: 1, bias: false, rng }),
      new BatchNorm2d(w),
      act(),
      ...Array.from({ length: spec.blocks }, () => new ResidualBlock(w, w, 1, act, rng)),
      ...Array.from(
        { length: spec.blocks },
        (_, i) => new ResidualBlock(i === 0 ? w : 2 * w, 2 * w, i === 0 ? 2 : 1, act, rng),
      ),
    ];
    this.layers.forEach((m, i) => this.registerModule(`${i}`, m));
    this.head = this.registerModule('head', new Linear(2 * w, classes, { rng }));
  }

  override forward(x: Tensor): Tensor {
    const features = this.layers.reduce((h, m) => m.call(h), x);
    return this.head.call(mean(features, [2, 3]));
  }
}
