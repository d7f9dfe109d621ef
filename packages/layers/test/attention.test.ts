import { describe, expect, it } from 'vitest';
import { backward, detach, gradCheck, noGrad } from '@fbt/autograd';
import { withRule } from '@fbt/surrogates';
import {
  Rng,
  add,
  gather,
  mean,
  mul,
  randn,
  reshape,
  sub,
  sum,
  tensor,
  tidy,
  type Tensor,
} from '@fbt/tensor';
import {
  Activation,
  Adam,
  Embedding,
  LayerNorm,
  Linear,
  Module,
  MultiheadAttention,
  Residual,
  TransformerEncoderLayer,
  accuracy,
  crossEntropy,
} from '../src';
import { values } from './helpers';

const GRAD_TOL = { atol: 2e-3, rtol: 2e-2 };

function expectGradOk(fn: (...args: Tensor[]) => Tensor, inputs: Tensor[]): void {
  const result = gradCheck(fn, inputs, GRAD_TOL);
  expect(result.ok, `worst: ${JSON.stringify(result.worst)}`).toBe(true);
}

function expectAllClose(actual: Tensor, expected: Tensor, tolerance = 1e-5): void {
  expect(actual.shape).toEqual(expected.shape);
  const e = values(expected);
  values(actual).forEach((a, i) =>
    expect(Math.abs(a - e[i]!)).toBeLessThanOrEqual(tolerance * (1 + Math.abs(e[i]!))),
  );
}

describe('initialisation as PyTorch', () => {
  it('Embedding: N(0, 1) weight, the padding row zero; the same seed gives the same bits', () => {
    const e = new Embedding(200, 50, { rng: new Rng(3), paddingIdx: -1 });
    expect(e.paddingIdx).toBe(199);
    const w = values(e.weight);
    expect(w.slice(199 * 50)).toEqual(new Array(50).fill(0));
    const body = w.slice(0, 199 * 50);
    const m = body.reduce((a, b) => a + b, 0) / body.length;
    const sd = Math.sqrt(body.reduce((a, b) => a + (b - m) ** 2, 0) / body.length);
    expect(Math.abs(m)).toBeLessThan(0.03);
    expect(Math.abs(sd - 1)).toBeLessThan(0.03);
    expect(values(new Embedding(200, 50, { rng: new Rng(3), paddingIdx: -1 }).weight)).toEqual(w);
  });

  it('LayerNorm: weight ones and bias zeros of normalizedShape; none without elementwiseAffine', () => {
    const n = new LayerNorm([2, 3]);
    expect(n.weight!.shape).toEqual([2, 3]);
    expect(values(n.weight!)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(values(n.bias!)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(new LayerNorm(4, { elementwiseAffine: false }).parameters()).toEqual([]);
  });

  it('MultiheadAttention: Xavier-uniform in_proj_weight, zero biases, Linear-init out_proj.weight', () => {
    const mha = new MultiheadAttention(16, 4, { rng: new Rng(1) });
    expect(Object.entries(mha.stateDict()).map(([k, t]) => [k, t.shape])).toEqual([
      ['in_proj_weight', [48, 16]],
      ['in_proj_bias', [48]],
      ['out_proj.weight', [16, 16]],
      ['out_proj.bias', [16]],
    ]);
    const inBound = Math.sqrt(6 / (16 + 48));
    const w = values(mha.inProjWeight);
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(inBound);
    expect(Math.max(...w.map(Math.abs))).toBeGreaterThan(0.9 * inBound);
    expect(Math.max(...values(mha.outProj.weight).map(Math.abs))).toBeLessThanOrEqual(1 / 4);
    expect(values(mha.inProjBias!).every((v) => v === 0)).toBe(true);
    expect(values(mha.outProj.bias!).every((v) => v === 0)).toBe(true);
    const noBias = new MultiheadAttention(16, 4, { rng: new Rng(1), bias: false });
    expect(Object.keys(noBias.stateDict())).toEqual(['in_proj_weight', 'out_proj.weight']);
  });

  it("TransformerEncoderLayer: nn.TransformerEncoderLayer's state-dict names and shapes", () => {
    const layer = new TransformerEncoderLayer(8, 2, { rng: new Rng(0), dimFeedforward: 16 });
    expect(Object.entries(layer.stateDict()).map(([k, t]) => `${k} ${t.shape.join('x')}`)).toEqual([
      'self_attn.in_proj_weight 24x8',
      'self_attn.in_proj_bias 24',
      'self_attn.out_proj.weight 8x8',
      'self_attn.out_proj.bias 8',
      'linear1.weight 16x8',
      'linear1.bias 16',
      'linear2.weight 8x16',
      'linear2.bias 8',
      'norm1.weight 8',
      'norm1.bias 8',
      'norm2.weight 8',
      'norm2.bias 8',
    ]);
    expect(layer.namedChildren().map(([k]) => k)).toEqual([
      'self_attn',
      'linear1',
      'dropout',
      'linear2',
      'norm1',
      'norm2',
      'dropout1',
      'dropout2',
      'activation',
    ]);
    expect(layer.activation.name).toBe('mlp');
  });
});

describe('forward values', () => {
  it('LayerNorm normalises with the biased variance: [1, 2, 3, 4] -> (x − 2.5)/√(1.25 + eps)', () => {
    const y = new LayerNorm(4).call(tensor([1, 2, 3, 4], [1, 4]));
    const s = Math.sqrt(1.25 + 1e-5);
    expectAllClose(y, tensor([-1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s], [1, 4]), 1e-6);
  });

  it('Residual adds its module to the input; the child is named module (or options.name)', () => {
    const linear = new Linear(3, 3, { rng: new Rng(2) });
    const block = new Residual(linear);
    const x = randn([4, 3], new Rng(3));
    expectAllClose(block.call(x), add(x, linear.call(x)), 0);
    expect(Object.keys(block.stateDict())).toEqual(['module.weight', 'module.bias']);
    expect(Object.keys(new Residual(new LayerNorm(3), { name: 'norm' }).stateDict())).toEqual([
      'norm.weight',
      'norm.bias',
    ]);
  });

  it('Embedding looks rows up for any index shape; the padding row is as loaded and gets no gradient', () => {
    const e = new Embedding(4, 2, { rng: new Rng(0), paddingIdx: 1 });
    e.loadStateDict({ weight: tensor([0, 1, 2, 3, 4, 5, 6, 7], [4, 2]) });
    const y = e.call(
      tensor(
        [
          [1, 3],
          [3, 0],
        ],
        [2, 2],
        'int32',
      ),
    );
    expect(y.shape).toEqual([2, 2, 2]);
    expect(values(y)).toEqual([2, 3, 6, 7, 6, 7, 0, 1]);
    backward(sum(mul(y, 2)));
    expect(values(e.weight.grad!)).toEqual([2, 2, 0, 0, 0, 0, 4, 4]);
  });

  const causalSetup = (): { mha: MultiheadAttention; x: Tensor } => ({
    mha: new MultiheadAttention(8, 2, { rng: new Rng(4), batchFirst: true }),
    x: randn([2, 5, 8], new Rng(5)),
  });

  it('a causal mask gives exactly zero weight above the diagonal, in every head', () => {
    const { mha, x } = causalSetup();
    const w = mha.attend(x, x, x, { isCausal: true, averageAttnWeights: false }).weights!;
    expect(w.shape).toEqual([2, 2, 5, 5]);
    const data = values(w);
    for (let b = 0; b < 4; b++) {
      for (let i = 0; i < 5; i++) {
        for (let j = 0; j < 5; j++) {
          const v = data[b * 25 + i * 5 + j]!;
          if (j > i) expect(v).toBe(0);
          else expect(v).toBeGreaterThan(0);
        }
      }
    }
  });

  it('isCausal, an int32 (bool) mask and the float −∞ mask give the same attention', () => {
    const { mha, x } = causalSetup();
    const upper = Array.from({ length: 25 }, (_, k) => Number(k % 5 > Math.floor(k / 5)));
    const causal = mha.attend(x, x, x, { isCausal: true });
    const asBool = mha.attend(x, x, x, { attnMask: tensor(upper, [5, 5], 'int32') });
    const asFloat = mha.attend(x, x, x, {
      attnMask: tensor(
        upper.map((u) => (u ? -Infinity : 0)),
        [5, 5],
      ),
    });
    expect(values(asBool.output)).toEqual(values(causal.output));
    expect(values(asBool.weights!)).toEqual(values(causal.weights!));
    expectAllClose(asFloat.output, causal.output, 1e-6);
    expect(values(asFloat.weights!)).toEqual(values(causal.weights!));
  });

  it('unbatched [L, E] input gives the batched result without the batch axis', () => {
    const mha = new MultiheadAttention(8, 2, { rng: new Rng(4) });
    const x = randn([5, 8], new Rng(6));
    const one = mha.attend(x, x, x);
    const batched = mha.attend(reshape(x, [5, 1, 8]), reshape(x, [5, 1, 8]), reshape(x, [5, 1, 8]));
    expect(one.output.shape).toEqual([5, 8]);
    expect(one.weights!.shape).toEqual([5, 5]);
    expect(values(one.output)).toEqual(values(batched.output));
  });

  it('attention dropout zeroes weights in training mode only, scaling survivors by 1/(1 − p)', () => {
    const mha = new MultiheadAttention(8, 2, { rng: new Rng(4), dropout: 0.5 });
    const x = randn([6, 2, 8], new Rng(7));
    const trained = values(mha.attend(x, x, x, { averageAttnWeights: false }).weights!);
    mha.eval();
    const clean = values(mha.attend(x, x, x, { averageAttnWeights: false }).weights!);
    const zeroed = trained.filter((v) => v === 0).length;
    expect(zeroed).toBeGreaterThan(0.35 * trained.length);
    expect(zeroed).toBeLessThan(0.65 * trained.length);
    trained.forEach((v, i) => {
      if (v !== 0) expect(v).toBeCloseTo(2 * clean[i]!, 6);
    });
  });
});

describe('gradients (gradCheck)', () => {
  it('LayerNorm with respect to input, weight and bias', () => {
    const norm = new LayerNorm([2, 3]);
    const [w, b] = [randn([2, 3], new Rng(1)), randn([2, 3], new Rng(2))];
    expectGradOk(
      (x, weight, bias) => norm.callWith({ weight: weight!, bias: bias! }, x!),
      [randn([2, 2, 3], new Rng(3)), w, b],
    );
  });

  it('MultiheadAttention with causal and key padding masks, with respect to query, key, value and in_proj_weight', () => {
    const mha = new MultiheadAttention(4, 2, { rng: new Rng(1) });
    const kpm = tensor([0, 0, 1, 0, 0, 0], [2, 3], 'int32');
    const attend = (q: Tensor, k: Tensor, v: Tensor): Tensor =>
      mha.attend(q, k, v, { keyPaddingMask: kpm, isCausal: true }).output;
    expectGradOk(attend, [
      randn([3, 2, 4], new Rng(2)),
      randn([3, 2, 4], new Rng(3)),
      randn([3, 2, 4], new Rng(4)),
    ]);
    const x = randn([3, 2, 4], new Rng(5));
    expectGradOk((w) => mha.callWith({ in_proj_weight: w! }, x), [mha.inProjWeight]);
  });

  it('TransformerEncoderLayer (gelu, pre-norm), with respect to the input', () => {
    const layer = new TransformerEncoderLayer(4, 2, {
      rng: new Rng(1),
      dimFeedforward: 6,
      dropout: 0,
      activation: 'gelu',
      normFirst: true,
    });
    expectGradOk((x) => layer.call(x!), [randn([3, 2, 4], new Rng(2))]);
  });
});

describe('a non-tied rule on the feed-forward activation', () => {
  /** φ(h) in the forward with the identity derivative: h + (φ(h) − h), the difference detached. */
  const straightThrough = (h: Tensor): Tensor => add(h, detach(sub(new Activation('gelu').call(h), h)));

  /** The post-norm layer written out by hand from the layer's own children. */
  function handBuilt(layer: TransformerEncoderLayer, x: Tensor): Tensor {
    const rows = (t: Tensor): Tensor => reshape(t, [t.size / t.shape[2]!, t.shape[2]!]);
    const h = layer.norm1.call(add(x, layer.selfAttn.forward(x)));
    const ff = layer.linear2.call(straightThrough(layer.linear1.call(rows(h))));
    return layer.norm2.call(add(h, reshape(ff, h.shape)));
  }

  function gradients(layer: TransformerEncoderLayer, run: (x: Tensor) => Tensor): Tensor[] {
    const x = randn([4, 2, 8], new Rng(9));
    x.requiresGrad = true;
    for (const p of layer.parameters()) p.grad = null;
    backward(sum(mul(run(x), randn([4, 2, 8], new Rng(10)))));
    return [x.grad!, ...layer.parameters().map((p) => p.grad!)];
  }

  const layer = (rule?: string): TransformerEncoderLayer =>
    new TransformerEncoderLayer(8, 2, {
      rng: new Rng(8),
      dimFeedforward: 16,
      dropout: 0,
      activation: 'gelu',
      rule,
    });

  it("rule 'constant' (c = 1) gives the gradients of the straight-through composition", () => {
    const model = layer('constant');
    const viaRule = gradients(model, (x) => model.call(x));
    const viaHand = gradients(model, (x) => handBuilt(model, x));
    viaRule.forEach((g, i) => expectAllClose(g, viaHand[i]!, 1e-5));
    const tiedModel = layer();
    const tied = gradients(tiedModel, (x) => tiedModel.call(x));
    expect(values(tied[0]!)).not.toEqual(values(viaRule[0]!));
  });

  it("withRule('constant', …, 'mlp') on a tied layer gives the same gradients", () => {
    const model = layer();
    const scoped = gradients(model, (x) => withRule('constant', () => model.call(x), 'mlp'));
    const built = layer('constant');
    gradients(built, (x) => built.call(x)).forEach((g, i) => expect(values(scoped[i]!)).toEqual(values(g)));
  });
});

describe('bad input: one line naming the culprit', () => {
  const rng = new Rng(0);
  it('embedDim not divisible by numHeads', () =>
    expect(() => new MultiheadAttention(10, 3, { rng })).toThrow(
      'MultiheadAttention: embedDim=10 is not divisible by numHeads=3; expected embedDim a multiple of numHeads',
    ));
  it('an Embedding index out of range', () =>
    expect(() => new Embedding(5, 2, { rng }).call(tensor([1, 5, 0], [3], 'int32'))).toThrow(
      'Embedding: index 5 at position 1 is out of range; expected an integer in [0, 5)',
    ));
  it('float Embedding indices', () =>
    expect(() => new Embedding(5, 2, { rng }).call(tensor([1, 2], [2]))).toThrow(
      'Embedding: indices are float32 of shape [2]; expected int32',
    ));
  it('a bad paddingIdx', () =>
    expect(() => new Embedding(5, 2, { rng, paddingIdx: 5 })).toThrow(
      'Embedding: paddingIdx=5; expected an integer in [-5, 5)',
    ));
  it('wrong attention ranks', () => {
    const x = randn([2, 3, 4, 8], rng);
    expect(() => new MultiheadAttention(8, 2, { rng }).forward(x)).toThrow(
      'MultiheadAttention: query [2, 3, 4, 8], key [2, 3, 4, 8], value [2, 3, 4, 8] have bad ranks; expected query [L, N, 8] and key, value [S, N, 8] (batchFirst=false), or unbatched [L, 8] and [S, 8]',
    );
  });
  it('a wrong attention feature size', () =>
    expect(() => new MultiheadAttention(8, 2, { rng }).forward(randn([5, 2, 6], rng))).toThrow(
      /^MultiheadAttention: query \[5, 2, 6\].* do not all end in E=8; expected/,
    ));
  it('different query and key batch sizes', () =>
    expect(() =>
      new MultiheadAttention(8, 2, { rng, batchFirst: true }).attend(
        randn([2, 5, 8], rng),
        randn([3, 5, 8], rng),
        randn([3, 5, 8], rng),
      ),
    ).toThrow(/have different batch sizes; expected query \[N, L, 8\]/));
  it('an attention mask of the wrong shape', () => {
    const x = randn([5, 2, 8], rng);
    expect(() =>
      new MultiheadAttention(8, 2, { rng }).attend(x, x, x, { attnMask: tensor([0, 0, 0, 0], [2, 2]) }),
    ).toThrow(
      'MultiheadAttention.attend: attnMask of shape [2, 2]; expected [5, 5] or [4, 5, 5] ([L, S] or [N·numHeads, L, S])',
    );
  });
  it('a key padding mask of the wrong shape', () => {
    const x = randn([5, 2, 8], rng);
    expect(() =>
      new MultiheadAttention(8, 2, { rng }).attend(x, x, x, { keyPaddingMask: tensor([0, 0], [2], 'int32') }),
    ).toThrow('MultiheadAttention.attend: keyPaddingMask of shape [2]; expected [2, 5] ([N, S])');
  });
  it('isCausal together with attnMask', () => {
    const x = randn([5, 8], rng);
    expect(() =>
      new MultiheadAttention(8, 2, { rng }).attend(x, x, x, { isCausal: true, attnMask: tensor(0) }),
    ).toThrow('MultiheadAttention.attend: both isCausal and attnMask given; expected one of them');
  });
  it('a LayerNorm input whose trailing shape differs', () =>
    expect(() => new LayerNorm([3, 4]).call(randn([2, 4, 3], rng))).toThrow(
      'LayerNorm: input of shape [2, 4, 3]; expected [..., 3, 4]',
    ));
  it('a TransformerEncoderLayer input of the wrong width', () =>
    expect(() =>
      new TransformerEncoderLayer(8, 2, { rng, dimFeedforward: 4 }).call(randn([5, 2, 6], rng)),
    ).toThrow('TransformerEncoderLayer: input of shape [5, 2, 6]; expected [L, N, 8] or unbatched [L, 8]'));
  it('a Residual whose module changes the shape', () =>
    expect(() => new Residual(new Linear(3, 2, { rng })).call(randn([4, 3], rng))).toThrow(
      'Residual: the wrapped Linear maps [4, 3] to [4, 2]; expected it to keep the shape',
    ));
  it('unknown option keys', () => {
    expect(() => new Embedding(5, 2, { rng, padding_idx: 0 } as never)).toThrow(
      "Embedding: unknown option 'padding_idx'; valid options: rng, paddingIdx",
    );
    expect(() => new LayerNorm(4, { affine: false } as never)).toThrow(
      "LayerNorm: unknown option 'affine'; valid options: eps, elementwiseAffine",
    );
    expect(() => new MultiheadAttention(8, 2, { rng, batch_first: true } as never)).toThrow(
      "MultiheadAttention: unknown option 'batch_first'; valid options: rng, bias, batchFirst, dropout",
    );
    expect(() => new TransformerEncoderLayer(8, 2, { rng, nhead: 2 } as never)).toThrow(
      /^TransformerEncoderLayer: unknown option 'nhead'; valid options: rng, dimFeedforward/,
    );
    const x = randn([5, 8], rng);
    expect(() =>
      new MultiheadAttention(8, 2, { rng }).attend(x, x, x, { need_weights: false } as never),
    ).toThrow(/^MultiheadAttention.attend: unknown option 'need_weights'/);
    expect(() => new Residual(new LayerNorm(3), { prefix: 'x' } as never)).toThrow(
      "Residual: unknown option 'prefix'; valid options: name",
    );
  });
});

/**
 * The toy task: 8 tokens from {0, 1, 2, 3}, labelled 1 when token 1 occurs more often than token 2
 * (ties are redrawn). Tokens 0 and 3 are distractors.
 */
function majorityTask(n: number, seed: number): { tokens: Tensor; labels: Tensor } {
  const rng = new Rng(seed);
  const tokens = new Int32Array(n * 8);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let diff = 0;
    while (diff === 0) {
      diff = 0;
      for (let t = 0; t < 8; t++) {
        const v = rng.int(4);
        tokens[i * 8 + t] = v;
        diff += v === 1 ? 1 : v === 2 ? -1 : 0;
      }
    }
    labels[i] = diff > 0 ? 1 : 0;
  }
  return { tokens: tensor(tokens, [n, 8], 'int32'), labels: tensor(labels, [n], 'int32') };
}

/** Embedding → one encoder layer → mean over the sequence → Linear. */
class TinyEncoder extends Module {
  private readonly embed: Embedding;
  private readonly encoder: TransformerEncoderLayer;
  private readonly head: Linear;

  constructor(rng: Rng) {
    super();
    this.embed = this.registerModule('embed', new Embedding(4, 16, { rng }));
    this.encoder = this.registerModule(
      'encoder',
      new TransformerEncoderLayer(16, 2, { rng, dimFeedforward: 32, dropout: 0, batchFirst: true }),
    );
    this.head = this.registerModule('head', new Linear(16, 2, { rng }));
  }

  override forward(tokens: Tensor): Tensor {
    return this.head.call(mean(this.encoder.call(this.embed.call(tokens)), 1));
  }
}

describe('training', () => {
  it('a one-layer transformer encoder learns the majority task (seeded): test accuracy >= 0.97', () => {
    const train = majorityTask(256, 1);
    const test = majorityTask(256, 2);
    const model = new TinyEncoder(new Rng(3));
    const optimizer = new Adam(model.parameters(), { lr: 0.01 });
    const order = new Rng(4);
    const before = noGrad(() => tidy(() => accuracy(model.call(test.tokens), test.labels)));
    for (let epoch = 0; epoch < 8; epoch++) {
      const perm = order.permutation(256);
      for (let start = 0; start < 256; start += 32) {
        tidy(() => {
          const idx = tensor(perm.slice(start, start + 32), [32], 'int32');
          const loss = crossEntropy(model.call(gather(train.tokens, idx)), gather(train.labels, idx));
          optimizer.zeroGrad();
          backward(loss);
          optimizer.step();
        });
      }
    }
    model.eval();
    const after = noGrad(() => tidy(() => accuracy(model.call(test.tokens), test.labels)));
    expect(before).toBeLessThan(0.75);
    expect(after).toBeGreaterThanOrEqual(0.97);
  });
});
