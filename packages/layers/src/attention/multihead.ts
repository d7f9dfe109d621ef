import {
  ArgumentError,
  ShapeError,
  add,
  checkOptions,
  expandDims,
  fillInPlace,
  formatShape,
  matmul,
  mean,
  mul,
  reshape,
  slice,
  softmax,
  squeeze,
  tensor,
  transpose,
  where,
  zeros,
  type Rng,
  type Tensor,
} from '@fbt/tensor';
import { Module } from '../module';
import { xavierUniform } from '../init';
import { Linear } from '../layers/linear';
import { linear } from '../layers/linear-product';
import { dropout } from '../layers/dropout';
import { assertPositiveInt } from '../layers/checks';

/** Options of `MultiheadAttention` (PyTorch's defaults). */
export interface MultiheadAttentionOptions {
  /** Generator for the initial weights and for the attention dropout. */
  readonly rng: Rng;
  /** Learn `in_proj_bias` and `out_proj.bias` (default true). */
  readonly bias?: boolean;
  /** Inputs and outputs are `[N, L, E]` rather than `[L, N, E]` (default false, as PyTorch). */
  readonly batchFirst?: boolean;
  /** Dropout probability on the attention weights in training mode (default 0). */
  readonly dropout?: number;
}

/** Options of `MultiheadAttention.attend`. */
export interface AttendOptions {
  /**
   * `[L, S]` or `[N·numHeads, L, S]` mask on the scores. int32 is PyTorch's bool mask: a non-zero
   * entry forbids that query attending to that key (its weight is exactly 0). float32 is added to
   * the scores (PyTorch's float mask, e.g. −∞ above the diagonal).
   */
  readonly attnMask?: Tensor;
  /** Forbid attending to later positions (key j > query i), as the mask PyTorch's `generate_square_subsequent_mask` gives. Not together with `attnMask`. */
  readonly isCausal?: boolean;
  /** `[N, S]` (`[S]` unbatched) mask of keys to ignore, with `attnMask`'s dtype rule (int32 non-zero = ignore). */
  readonly keyPaddingMask?: Tensor;
  /** Return the attention weights (default true, as PyTorch). */
  readonly needWeights?: boolean;
  /** Average the returned weights over the heads (default true, as PyTorch). */
  readonly averageAttnWeights?: boolean;
}

/** The result of `MultiheadAttention.attend`. */
export interface AttentionResult {
  /** `[L, N, E]` (`[N, L, E]` with `batchFirst`, `[L, E]` unbatched). */
  readonly output: Tensor;
  /**
   * The attention weights (after dropout, as PyTorch returns them): `[N, L, S]` averaged over the
   * heads, `[N, numHeads, L, S]` without `averageAttnWeights` (no `N` unbatched); null without
   * `needWeights`.
   */
  readonly weights: Tensor | null;
}

/** The score a forbidden (query, key) pair gets: its softmax weight is exactly 0 in float32. */
const FORBIDDEN = -1e30;

/**
 * Multi-head scaled dot-product attention, as PyTorch's `nn.MultiheadAttention` (equal query, key
 * and value sizes): `in_proj_weight` `[3E, E]` (rows: query, key, value projections; Xavier-uniform),
 * `in_proj_bias` `[3E]` (zeros) and the `Linear` child `out_proj` (`out_proj.weight` `[E, E]`,
 * PyTorch's Linear init; `out_proj.bias` zeros), so a PyTorch state dict loads unchanged. Each head
 * attends with `softmax(q·kᵀ/√(E/numHeads) + mask)·v`; the heads run as one batched `matmul`
 * (`[B, M, K]×[B, K, N]`, so no separate `bmm` exists). `forward(x)` is unmasked self-attention;
 * `attend` takes separate query, key and value and the masks. Not supported: `kdim`/`vdim`,
 * `add_bias_kv`, `add_zero_attn`.
 *
 * @example
 * const mha = new MultiheadAttention(8, 2, { rng: new Rng(0), batchFirst: true });
 * const { output, weights } = mha.attend(x, x, x, { isCausal: true }); // x [N, L, 8]
 */
export class MultiheadAttention extends Module {
  /** E / numHeads. */
  readonly headDim: number;
  /** Whether inputs and outputs are `[N, L, E]`. */
  readonly batchFirst: boolean;
  /** Dropout probability on the attention weights. */
  readonly dropout: number;
  /** The output projection, a `Linear(E, E)`. */
  readonly outProj: Linear;
  private readonly rng: Rng;

  constructor(
    readonly embedDim: number,
    readonly numHeads: number,
    options: MultiheadAttentionOptions,
  ) {
    super();
    checkOptions(options, { rng: true, bias: true, batchFirst: true, dropout: true }, 'MultiheadAttention');
    assertPositiveInt(embedDim, 'embedDim', 'MultiheadAttention');
    assertPositiveInt(numHeads, 'numHeads', 'MultiheadAttention');
    if (embedDim % numHeads !== 0) {
      throw new ArgumentError(
        `MultiheadAttention: embedDim=${embedDim} is not divisible by numHeads=${numHeads}; expected embedDim a multiple of numHeads`,
      );
    }
    const p = options.dropout ?? 0;
    if (!(p >= 0 && p < 1))
      throw new ArgumentError(`MultiheadAttention: dropout=${p}; expected a probability in [0, 1)`);
    this.headDim = embedDim / numHeads;
    this.batchFirst = options.batchFirst ?? false;
    this.dropout = p;
    this.rng = options.rng;
    const bias = options.bias ?? true;
    this.registerParameter('in_proj_weight', xavierUniform([3 * embedDim, embedDim], options.rng));
    if (bias) this.registerParameter('in_proj_bias', zeros([3 * embedDim]));
    this.outProj = this.registerModule(
      'out_proj',
      new Linear(embedDim, embedDim, { rng: options.rng, bias }),
    );
    if (this.outProj.bias !== null) fillInPlace(this.outProj.bias, 0);
  }

  /** `[3E, E]`: the query, key and value projections stacked by rows. */
  get inProjWeight(): Tensor {
    return this.param('in_proj_weight');
  }

  /** `[3E]`, or null without `bias`. */
  get inProjBias(): Tensor | null {
    return this.optionalParam('in_proj_bias');
  }

  /** Unmasked self-attention: `attend(x, x, x, { needWeights: false }).output`. */
  override forward(x: Tensor): Tensor {
    return this.attend(x, x, x, { needWeights: false }).output;
  }

  /**
   * Attention of `query` `[L, N, E]` over `key` and `value` `[S, N, E]` (`[N, ·, E]` with
   * `batchFirst`; `[L, E]` and `[S, E]` unbatched), with the optional masks of `AttendOptions`.
   */
  attend(query: Tensor, key: Tensor, value: Tensor, options: AttendOptions = {}): AttentionResult {
    checkOptions(
      options,
      { attnMask: true, isCausal: true, keyPaddingMask: true, needWeights: true, averageAttnWeights: true },
      'MultiheadAttention.attend',
    );
    const batched = this.checkInputs(query, key, value);
    const [q, k, v] = [query, key, value].map((t) => this.toBatchFirst(t, batched)) as [
      Tensor,
      Tensor,
      Tensor,
    ];
    const [n, l] = q.shape as [number, number];
    const s = k.shape[1]!;
    const mask = this.scoreMask(options, n, l, s, batched);
    const h = this.numHeads;
    const qh = mul(this.project(q, 0), 1 / Math.sqrt(this.headDim));
    const scores = reshape(matmul(qh, this.project(k, 1), { transposeB: true }), [n, h, l, s]);
    let weights = softmax(mask(scores), -1);
    if (this.training) weights = dropout(weights, this.dropout, this.rng);
    const heads = matmul(reshape(weights, [n * h, l, s]), this.project(v, 2)); // [N·H, L, D]
    const merged = reshape(transpose(reshape(heads, [n, h, l, this.headDim]), [0, 2, 1, 3]), [
      n * l,
      this.embedDim,
    ]);
    const output = this.fromBatchFirst(reshape(this.outProj.call(merged), [n, l, this.embedDim]), batched);
    if (options.needWeights === false) return { output, weights: null };
    const shown = (options.averageAttnWeights ?? true) ? mean(weights, 1) : weights;
    return { output, weights: batched ? shown : squeeze(shown, 0) };
  }

  /** Checks ranks and sizes; returns whether the inputs are batched (rank 3). */
  private checkInputs(query: Tensor, key: Tensor, value: Tensor): boolean {
    const e = this.embedDim;
    const layout = this.batchFirst ? 'N, L' : 'L, N';
    const fail = (why: string): never => {
      throw new ShapeError(
        `MultiheadAttention: query ${formatShape(query.shape)}, key ${formatShape(key.shape)}, value ${formatShape(value.shape)} ${why}; ` +
          `expected query [${layout}, ${e}] and key, value [${layout.replace('L', 'S')}, ${e}] (batchFirst=${this.batchFirst}), or unbatched [L, ${e}] and [S, ${e}]`,
      );
    };
    const rank = query.rank;
    if ((rank !== 2 && rank !== 3) || key.rank !== rank || value.rank !== rank) fail('have bad ranks');
    if ([query, key, value].some((t) => t.shape[rank - 1] !== e)) fail(`do not all end in E=${e}`);
    if (key.shape.some((d, i) => i !== rank - 1 && d !== value.shape[i]))
      fail('have different key and value sizes');
    const batchAxis = this.batchFirst ? 0 : 1;
    if (rank === 3 && key.shape[batchAxis] !== query.shape[batchAxis]) fail('have different batch sizes');
    return rank === 3;
  }

  private toBatchFirst(t: Tensor, batched: boolean): Tensor {
    if (!batched) return expandDims(t, 0);
    return this.batchFirst ? t : transpose(t, [1, 0, 2]);
  }

  private fromBatchFirst(t: Tensor, batched: boolean): Tensor {
    if (!batched) return squeeze(t, 0);
    return this.batchFirst ? t : transpose(t, [1, 0, 2]);
  }

  /** `x` `[N, T, E]` through projection `i` (0 query, 1 key, 2 value), split into heads: `[N·H, T, D]`. */
  private project(x: Tensor, i: number): Tensor {
    const [n, t, e] = x.shape as [number, number, number];
    const w = slice(this.inProjWeight, [i * e, 0], [e, e]);
    const b = this.inProjBias;
    const y = linear(reshape(x, [n * t, e]), w, b === null ? null : slice(b, [i * e], [e]));
    return reshape(transpose(reshape(y, [n, t, this.numHeads, this.headDim]), [0, 2, 1, 3]), [
      n * this.numHeads,
      t,
      this.headDim,
    ]);
  }

  /** Checks the masks and returns the function that applies them to the `[N, H, L, S]` scores. */
  private scoreMask(
    options: AttendOptions,
    n: number,
    l: number,
    s: number,
    batched: boolean,
  ): (scores: Tensor) => Tensor {
    const { attnMask, keyPaddingMask, isCausal = false } = options;
    if (isCausal && attnMask !== undefined)
      throw new ArgumentError(
        'MultiheadAttention.attend: both isCausal and attnMask given; expected one of them',
      );
    const masks: Tensor[] = [];
    if (isCausal) masks.push(causalMask(l, s));
    if (attnMask !== undefined) {
      const h = this.numHeads;
      const ok2 = attnMask.rank === 2 && attnMask.shape[0] === l && attnMask.shape[1] === s;
      const ok3 =
        attnMask.rank === 3 &&
        attnMask.shape[0] === n * h &&
        attnMask.shape[1] === l &&
        attnMask.shape[2] === s;
      if (!ok2 && !ok3)
        throw new ShapeError(
          `MultiheadAttention.attend: attnMask of shape ${formatShape(attnMask.shape)}; expected [${l}, ${s}] or [${n * h}, ${l}, ${s}] ([L, S] or [N·numHeads, L, S])`,
        );
      masks.push(ok2 ? attnMask : reshape(attnMask, [n, h, l, s]));
    }
    if (keyPaddingMask !== undefined) {
      const expected = batched ? [n, s] : [s];
      if (keyPaddingMask.rank !== expected.length || keyPaddingMask.shape.some((d, i) => d !== expected[i]))
        throw new ShapeError(
          `MultiheadAttention.attend: keyPaddingMask of shape ${formatShape(keyPaddingMask.shape)}; expected ${formatShape(expected)} (${batched ? '[N, S]' : '[S]'})`,
        );
      masks.push(reshape(keyPaddingMask, [n, 1, 1, s]));
    }
    return (scores) =>
      masks.reduce((acc, m) => (m.dtype === 'int32' ? where(m, FORBIDDEN, acc) : add(acc, m)), scores);
  }
}

/** int32 `[L, S]`, 1 where key j comes after query i (j > i). */
function causalMask(l: number, s: number): Tensor {
  const data = new Int32Array(l * s);
  for (let i = 0; i < l; i++) data.fill(1, i * s + i + 1, (i + 1) * s);
  return tensor(data, [l, s], 'int32');
}
