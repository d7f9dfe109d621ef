import {
  ArgumentError,
  DTypeError,
  checkOptions,
  equal,
  expandDims,
  formatShape,
  gather,
  type Rng,
  type Tensor,
  tensor,
  where,
} from '@fbt/tensor';
import { detach } from '@fbt/autograd';
import { Module } from '../module';
import { assertPositiveInt } from './checks';

/** Options of `Embedding`. */
export interface EmbeddingOptions {
  /** Generator for the initial weight, N(0, 1) as PyTorch's `nn.Embedding`. */
  readonly rng: Rng;
  /**
   * A row that stays zero and gets no gradient (PyTorch's `padding_idx`); negative counts from the
   * end. Default: none.
   */
  readonly paddingIdx?: number;
}

/**
 * A lookup table of `numEmbeddings` vectors of size `embeddingDim`, as PyTorch's `nn.Embedding`:
 * `weight` is `[numEmbeddings, embeddingDim]`, drawn from N(0, 1). `forward` takes int32 indices of
 * any shape `[...]` and returns `[..., embeddingDim]`; its gradient scatters back into the rows that
 * were looked up (a row used twice adds up). With `paddingIdx`, that row starts at zero and never
 * receives a gradient, so it stays as loaded.
 *
 * @example
 * const embed = new Embedding(100, 16, { rng: new Rng(0), paddingIdx: 0 });
 * embed.call(tensor([[3, 7, 0]], [1, 3], 'int32')); // [1, 3, 16]
 */
export class Embedding extends Module {
  /** The padding row (normalised to `[0, numEmbeddings)`), or null. */
  readonly paddingIdx: number | null;

  constructor(
    readonly numEmbeddings: number,
    readonly embeddingDim: number,
    options: EmbeddingOptions,
  ) {
    super();
    checkOptions(options, { rng: true, paddingIdx: true }, 'Embedding');
    assertPositiveInt(numEmbeddings, 'numEmbeddings', 'Embedding');
    assertPositiveInt(embeddingDim, 'embeddingDim', 'Embedding');
    const pad = options.paddingIdx;
    if (pad !== undefined && !(Number.isInteger(pad) && pad >= -numEmbeddings && pad < numEmbeddings)) {
      throw new ArgumentError(
        `Embedding: paddingIdx=${pad}; expected an integer in [${-numEmbeddings}, ${numEmbeddings})`,
      );
    }
    this.paddingIdx = pad === undefined ? null : pad < 0 ? pad + numEmbeddings : pad;
    const weight = options.rng.fillNormal(new Float32Array(numEmbeddings * embeddingDim), 0, 1);
    if (this.paddingIdx !== null)
      weight.fill(0, this.paddingIdx * embeddingDim, (this.paddingIdx + 1) * embeddingDim);
    this.registerParameter('weight', tensor(weight, [numEmbeddings, embeddingDim]));
  }

  /** `[numEmbeddings, embeddingDim]` table. */
  get weight(): Tensor {
    return this.param('weight');
  }

  override forward(indices: Tensor): Tensor {
    if (indices.dtype !== 'int32') {
      throw new DTypeError(
        `Embedding: indices are ${indices.dtype} of shape ${formatShape(indices.shape)}; expected int32`,
      );
    }
    const n = this.numEmbeddings;
    const values = indices.dataSync();
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v < 0 || v >= n)
        throw new ArgumentError(
          `Embedding: index ${v} at position ${i} is out of range; expected an integer in [0, ${n})`,
        );
    }
    const rows = gather(this.weight, indices);
    if (this.paddingIdx === null) return rows;
    // The padding row's value, cut off from the gradient (PyTorch's padding_idx).
    const isPad = expandDims(equal(indices, this.paddingIdx), -1);
    return where(isPad, gather(detach(this.weight), indices), rows);
  }
}
