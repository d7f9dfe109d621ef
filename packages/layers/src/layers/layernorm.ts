import {
  ArgumentError,
  ShapeError,
  add,
  checkOptions,
  div,
  formatShape,
  mean,
  mul,
  ones,
  sqrt,
  sub,
  zeros,
  type Tensor,
} from '@fbt/tensor';
import { Module } from '../module';

/** Options of `LayerNorm` (PyTorch's defaults). */
export interface LayerNormOptions {
  /** Added to the variance before the square root (default 1e-5). */
  readonly eps?: number;
  /** Learn an elementwise scale `weight` (init 1) and shift `bias` (init 0) of the normalised shape (default true). */
  readonly elementwiseAffine?: boolean;
}

/**
 * Layer normalisation over the trailing dimensions, as PyTorch's `nn.LayerNorm`: for input
 * `[..., *normalizedShape]`, each slice over the last `normalizedShape.length` axes is normalised
 * with its own mean and biased variance, `y = (x − mean) / √(var + eps) · weight + bias`. The same
 * in training and evaluation (no running statistics). `weight` and `bias` have `normalizedShape`.
 *
 * @example
 * new LayerNorm(8).call(x); // x [L, N, 8]
 */
export class LayerNorm extends Module {
  /** The trailing shape that is normalised. */
  readonly normalizedShape: readonly number[];
  /** ε. */
  readonly eps: number;

  constructor(normalizedShape: number | readonly number[], options: LayerNormOptions = {}) {
    super();
    checkOptions(options, { eps: true, elementwiseAffine: true }, 'LayerNorm');
    const shape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    if (shape.length === 0 || !shape.every((d) => Number.isInteger(d) && d >= 1)) {
      throw new ArgumentError(
        `LayerNorm: normalizedShape=${JSON.stringify(normalizedShape)}; expected a positive integer or a non-empty list of them`,
      );
    }
    this.normalizedShape = shape;
    this.eps = options.eps ?? 1e-5;
    if (!(this.eps > 0) || !Number.isFinite(this.eps))
      throw new ArgumentError(`LayerNorm: eps=${this.eps}; expected a finite number > 0`);
    if (options.elementwiseAffine ?? true) {
      this.registerParameter('weight', ones(shape));
      this.registerParameter('bias', zeros(shape));
    }
  }

  /** Scale (γ) of `normalizedShape`, or null without `elementwiseAffine`. */
  get weight(): Tensor | null {
    return this.optionalParam('weight');
  }

  /** Shift (β) of `normalizedShape`, or null without `elementwiseAffine`. */
  get bias(): Tensor | null {
    return this.optionalParam('bias');
  }

  override forward(x: Tensor): Tensor {
    const k = this.normalizedShape.length;
    const tail = x.shape.slice(x.rank - k);
    if (x.rank < k || tail.some((d, i) => d !== this.normalizedShape[i])) {
      throw new ShapeError(
        `LayerNorm: input of shape ${formatShape(x.shape)}; expected [..., ${this.normalizedShape.join(', ')}]`,
      );
    }
    const axes = tail.map((_, i) => x.rank - k + i);
    const centered = sub(x, mean(x, axes, true));
    const variance = mean(mul(centered, centered), axes, true);
    const y = div(centered, sqrt(add(variance, this.eps)));
    const { weight, bias } = this;
    return weight !== null && bias !== null ? add(mul(y, weight), bias) : y;
  }
}
