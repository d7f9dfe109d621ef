import {
  ArgumentError,
  ShapeError,
  add,
  checkOptions,
  formatShape,
  reshape,
  type Rng,
  type Tensor,
} from '@fbt/tensor';
import type { ActivationParams, ForwardLike, RuleLike } from '@fbt/surrogates';
import { Module } from '../module';
import { Activation } from '../layers/activation';
import { Dropout } from '../layers/dropout';
import { LayerNorm } from '../layers/layernorm';
import { Linear } from '../layers/linear';
import { assertPositiveInt } from '../layers/checks';
import { MultiheadAttention, type AttendOptions } from './multihead';

/** Options of `TransformerEncoderLayer` (PyTorch's defaults). */
export interface TransformerEncoderLayerOptions {
  /** Generator for the initial weights and the dropout masks. */
  readonly rng: Rng;
  /** Width of the feed-forward block (default 2048). */
  readonly dimFeedforward?: number;
  /** Dropout probability of every dropout, the attention weights' included (default 0.1). */
  readonly dropout?: number;
  /** The feed-forward activation φ (default 'relu'; 'gelu' is PyTorch's other choice, any φ works). */
  readonly activation?: ForwardLike;
  /** The backward rule ψ of that activation (default 'tied', ordinary backprop). */
  readonly rule?: RuleLike;
  /** Parameters of the activation and rule. */
  readonly activationParams?: ActivationParams;
  /** ε of both LayerNorms (default 1e-5). */
  readonly layerNormEps?: number;
  /** Inputs and outputs are `[N, L, E]` rather than `[L, N, E]` (default false). */
  readonly batchFirst?: boolean;
  /** Pre-norm (`x + block(norm(x))`) instead of post-norm (`norm(x + block(x))`) (default false). */
  readonly normFirst?: boolean;
  /** Every `forward` masks attention causally (default false). */
  readonly causal?: boolean;
}

/** Options of `TransformerEncoderLayer.encode`: PyTorch's `src_mask`, `src_key_padding_mask` and `is_causal`. */
export type EncodeOptions = Pick<AttendOptions, 'attnMask' | 'keyPaddingMask' | 'isCausal'>;

/** The name of the feed-forward `Activation`, for `withRule` selectors. */
export const TRANSFORMER_ACTIVATION_NAME = 'mlp';

/**
 * One transformer encoder block, as PyTorch's `nn.TransformerEncoderLayer`: self-attention then a
 * feed-forward block `linear2(dropout(φ(linear1(x))))`, each with a residual connection and a
 * LayerNorm (after the sum by default, before the block with `normFirst`). The children carry
 * PyTorch's names, `self_attn`, `linear1`, `dropout`, `linear2`, `norm1`, `norm2`, `dropout1`,
 * `dropout2`, so a PyTorch state dict loads unchanged; φ is the parameter-free child `activation`,
 * an `Activation` named `'mlp'` (`TRANSFORMER_ACTIVATION_NAME`) with the rule `options.rule`, so
 * `withRule(rule, fn, 'mlp')` (or the forward's name, e.g. `'gelu'`) swaps its backward.
 *
 * @example
 * const layer = new TransformerEncoderLayer(8, 2, { rng: new Rng(0), dimFeedforward: 16, batchFirst: true });
 * layer.call(x); // x [N, L, 8]
 */
export class TransformerEncoderLayer extends Module {
  /** The self-attention block. */
  readonly selfAttn: MultiheadAttention;
  /** `Linear(dModel, dimFeedforward)`. */
  readonly linear1: Linear;
  /** `Linear(dimFeedforward, dModel)`. */
  readonly linear2: Linear;
  /** The LayerNorm of the attention block. */
  readonly norm1: LayerNorm;
  /** The LayerNorm of the feed-forward block. */
  readonly norm2: LayerNorm;
  /** The feed-forward activation φ with its rule. */
  readonly activation: Activation;
  /** Pre-norm. */
  readonly normFirst: boolean;
  /** Whether `forward` masks causally. */
  readonly causal: boolean;
  private readonly dropoutFf: Dropout;
  private readonly dropout1: Dropout;
  private readonly dropout2: Dropout;

  constructor(
    readonly dModel: number,
    readonly nhead: number,
    options: TransformerEncoderLayerOptions,
  ) {
    super();
    checkOptions(
      options,
      {
        rng: true,
        dimFeedforward: true,
        dropout: true,
        activation: true,
        rule: true,
        activationParams: true,
        layerNormEps: true,
        batchFirst: true,
        normFirst: true,
        causal: true,
      },
      'TransformerEncoderLayer',
    );
    const ff = options.dimFeedforward ?? 2048;
    assertPositiveInt(ff, 'dimFeedforward', 'TransformerEncoderLayer');
    const p = options.dropout ?? 0.1;
    if (!(p >= 0 && p < 1))
      throw new ArgumentError(`TransformerEncoderLayer: dropout=${p}; expected a probability in [0, 1)`);
    const { rng } = options;
    const eps = options.layerNormEps ?? 1e-5;
    this.selfAttn = this.registerModule(
      'self_attn',
      new MultiheadAttention(dModel, nhead, { rng, dropout: p, batchFirst: options.batchFirst ?? false }),
    );
    this.linear1 = this.registerModule('linear1', new Linear(dModel, ff, { rng }));
    this.dropoutFf = this.registerModule('dropout', new Dropout(p, { rng }));
    this.linear2 = this.registerModule('linear2', new Linear(ff, dModel, { rng }));
    this.norm1 = this.registerModule('norm1', new LayerNorm(dModel, { eps }));
    this.norm2 = this.registerModule('norm2', new LayerNorm(dModel, { eps }));
    this.dropout1 = this.registerModule('dropout1', new Dropout(p, { rng }));
    this.dropout2 = this.registerModule('dropout2', new Dropout(p, { rng }));
    this.activation = this.registerModule(
      'activation',
      new Activation(options.activation ?? 'relu', options.rule, options.activationParams, {
        name: TRANSFORMER_ACTIVATION_NAME,
      }),
    );
    this.normFirst = options.normFirst ?? false;
    this.causal = options.causal ?? false;
  }

  /** Encodes `x` `[L, N, E]` (`[N, L, E]` with `batchFirst`, `[L, E]` unbatched); causal when built with `causal`. */
  override forward(x: Tensor): Tensor {
    return this.encode(x, this.causal ? { isCausal: true } : {});
  }

  /** Encodes `src` with PyTorch's optional source mask, key padding mask and causal flag (see `AttendOptions`). */
  encode(src: Tensor, options: EncodeOptions = {}): Tensor {
    checkOptions(
      options,
      { attnMask: true, keyPaddingMask: true, isCausal: true },
      'TransformerEncoderLayer.encode',
    );
    if ((src.rank !== 2 && src.rank !== 3) || src.shape[src.rank - 1] !== this.dModel) {
      const layout = this.selfAttn.batchFirst ? 'N, L' : 'L, N';
      throw new ShapeError(
        `TransformerEncoderLayer: input of shape ${formatShape(src.shape)}; expected [${layout}, ${this.dModel}] or unbatched [L, ${this.dModel}]`,
      );
    }
    const attention = (x: Tensor): Tensor =>
      this.dropout1.call(this.selfAttn.attend(x, x, x, { ...options, needWeights: false }).output);
    const feedForward = (x: Tensor): Tensor =>
      this.dropout2.call(
        lastAxis(this.linear2, this.dropoutFf.call(this.activation.call(lastAxis(this.linear1, x)))),
      );
    if (this.normFirst) {
      const x = add(src, attention(this.norm1.call(src)));
      return add(x, feedForward(this.norm2.call(x)));
    }
    const x = this.norm1.call(add(src, attention(src)));
    return this.norm2.call(add(x, feedForward(x)));
  }
}

/** `linear` applied to the last axis of `x` `[..., in]`, giving `[..., out]`. */
function lastAxis(linear: Linear, x: Tensor): Tensor {
  const lead = x.shape.slice(0, -1);
  const y = linear.call(reshape(x, [x.size / linear.inFeatures, linear.inFeatures]));
  return reshape(y, [...lead, linear.outFeatures]);
}
