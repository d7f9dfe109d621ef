import {
  ArgumentError,
  ShapeError,
  add,
  addInPlace,
  checkOptions,
  div,
  formatShape,
  mean,
  mul,
  ones,
  reshape,
  scaleInPlace,
  sqrt,
  sub,
  tidy,
  zeros,
  type Tensor,
} from '@fbt/tensor';
import { noGrad } from '@fbt/autograd';
import { Module } from '../module';
import { assertPositiveInt } from './checks';

/** Options of `BatchNorm1d` and `BatchNorm2d` (PyTorch's defaults). */
export interface BatchNormOptions {
  /** Weight of the newest batch in the running statistics (default 0.1). */
  readonly momentum?: number;
  /** Added to the variance before the square root (default 1e-5). */
  readonly eps?: number;
  /** Learn a per-channel scale `weight` (γ, init 1) and shift `bias` (β, init 0) (default true). */
  readonly affine?: boolean;
}

/**
 * Batch normalisation over every axis but the channel axis 1, as in PyTorch. Training mode
 * normalises with the batch mean and biased variance and updates the running statistics
 * (r ← (1−momentum)·r + momentum·batch, the variance unbiased by n/(n−1)); evaluation mode uses
 * the running statistics. The running statistics are buffers saved under PyTorch's state-dict
 * names `running_mean`, `running_var` and `num_batches_tracked` (an int32 scalar counting the
 * training forward passes), so weights move between fbt and PyTorch without renaming.
 */
abstract class BatchNorm extends Module {
  /** γ `[C]`, or null without `affine`. */
  get weight(): Tensor | null {
    return this.optionalParam('weight');
  }

  /** β `[C]`, or null without `affine`. */
  get bias(): Tensor | null {
    return this.optionalParam('bias');
  }

  /** Running mean `[C]` (init 0); saved as `running_mean`. */
  readonly runningMean: Tensor;
  /** Running (unbiased) variance `[C]` (init 1); saved as `running_var`. */
  readonly runningVar: Tensor;
  /** Number of training forward passes, an int32 scalar (init 0); saved as `num_batches_tracked`. */
  readonly numBatchesTracked: Tensor;
  /** Momentum of the running statistics. */
  readonly momentum: number;
  /** ε. */
  readonly eps: number;

  protected constructor(
    readonly numFeatures: number,
    options: BatchNormOptions,
    private readonly ranks: readonly number[],
    private readonly layout: string,
  ) {
    super();
    const name = new.target.name;
    checkOptions(options, { momentum: true, eps: true, affine: true }, name);
    assertPositiveInt(numFeatures, 'numFeatures', name);
    this.momentum = options.momentum ?? 0.1;
    this.eps = options.eps ?? 1e-5;
    if (!(this.momentum >= 0 && this.momentum <= 1))
      throw new ArgumentError(`${name}: momentum=${this.momentum}; expected a number in [0, 1]`);
    if (!(this.eps > 0) || !Number.isFinite(this.eps))
      throw new ArgumentError(`${name}: eps=${this.eps}; expected a finite number > 0`);
    if (options.affine ?? true) {
      this.registerParameter('weight', ones([numFeatures]));
      this.registerParameter('bias', zeros([numFeatures]));
    }
    this.runningMean = this.registerBuffer('running_mean', zeros([numFeatures]));
    this.runningVar = this.registerBuffer('running_var', ones([numFeatures]));
    this.numBatchesTracked = this.registerBuffer('num_batches_tracked', zeros([], 'int32'));
  }

  override forward(x: Tensor): Tensor {
    const c = this.numFeatures;
    if (!this.ranks.includes(x.rank) || x.shape[1] !== c) {
      throw new ShapeError(
        `${this.constructor.name}: input of shape ${formatShape(x.shape)}; expected ${this.layout} with C = ${c}`,
      );
    }
    const axes = x.shape.map((_, i) => i).filter((i) => i !== 1);
    const channelShape = x.shape.map((d, i) => (i === 1 ? d : 1));
    let centered: Tensor;
    let std: Tensor;
    if (this.training) {
      const count = x.size / c;
      if (count < 2)
        throw new ShapeError(
          `${this.constructor.name}: training needs more than one value per channel; got input ${formatShape(x.shape)}`,
        );
      const batchMean = mean(x, axes, true);
      centered = sub(x, batchMean);
      const batchVar = mean(mul(centered, centered), axes, true);
      std = sqrt(add(batchVar, this.eps));
      this.updateRunningStats(batchMean, batchVar, count);
    } else {
      centered = sub(x, reshape(this.runningMean, channelShape));
      std = sqrt(add(reshape(this.runningVar, channelShape), this.eps));
    }
    let y = div(centered, std);
    const { weight, bias } = this;
    if (weight !== null && bias !== null)
      y = add(mul(y, reshape(weight, channelShape)), reshape(bias, channelShape));
    return y;
  }

  private updateRunningStats(batchMean: Tensor, batchVar: Tensor, count: number): void {
    const m = this.momentum;
    const c = this.numFeatures;
    noGrad(() =>
      tidy(() => {
        scaleInPlace(this.runningMean, 1 - m);
        addInPlace(this.runningMean, reshape(batchMean, [c]), m);
        scaleInPlace(this.runningVar, 1 - m);
        addInPlace(this.runningVar, reshape(batchVar, [c]), (m * count) / (count - 1));
        addInPlace(this.numBatchesTracked, ones([], 'int32'));
      }),
    );
  }
}

/** Batch normalisation of `[N, C]` or `[N, C, L]` input. */
export class BatchNorm1d extends BatchNorm {
  constructor(numFeatures: number, options: BatchNormOptions = {}) {
    super(numFeatures, options, [2, 3], '[N, C] or [N, C, L]');
  }
}

/** Batch normalisation of NCHW `[N, C, H, W]` input. */
export class BatchNorm2d extends BatchNorm {
  constructor(numFeatures: number, options: BatchNormOptions = {}) {
    super(numFeatures, options, [4], '[N, C, H, W]');
  }
}
