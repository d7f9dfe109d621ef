import {
  add,
  addInPlace,
  checkOptions,
  div,
  mul,
  scaleInPlace,
  sqrt,
  tidy,
  type OptionKeys,
  type Tensor,
} from '@fbt/tensor';
import { Optimizer, assertNonNegative, assertUnitInterval } from './optimizer';

/** Options of `Adam` and `AdamW` (PyTorch's names and defaults). */
export interface AdamOptions {
  /** Learning rate (default 1e-3). */
  readonly lr?: number;
  /** Decay rates (β₁, β₂) of the first and second moment estimates (default [0.9, 0.999]). */
  readonly betas?: readonly [number, number];
  /** Term added to the denominator (default 1e-8). */
  readonly eps?: number;
  /** Weight decay λ: an L2 term added to the gradient (Adam) or a decoupled decay (AdamW). */
  readonly weightDecay?: number;
}

const ADAM_KEYS: OptionKeys<AdamOptions> = { lr: true, betas: true, eps: true, weightDecay: true };

/**
 * Adam (Kingma & Ba) with PyTorch's semantics. With d = g + λθ:
 * m ← β₁m + (1−β₁)d, v ← β₂v + (1−β₂)d², θ ← θ − (lr/(1−β₁ᵗ))·m / (√v/√(1−β₂ᵗ) + ε).
 * The moment buffers are updated in place; the parameter too.
 */
export class Adam extends Optimizer {
  /** β₁. */
  readonly beta1: number;
  /** β₂. */
  readonly beta2: number;
  /** ε. */
  readonly eps: number;
  /** λ. */
  readonly weightDecay: number;
  /** True for AdamW's decoupled weight decay. */
  protected readonly decoupled: boolean = false;

  constructor(params: Iterable<Tensor>, options: AdamOptions = {}, name = 'Adam') {
    checkOptions(options, ADAM_KEYS, name);
    super(params, options.lr ?? 1e-3, name);
    [this.beta1, this.beta2] = options.betas ?? [0.9, 0.999];
    this.eps = options.eps ?? 1e-8;
    this.weightDecay = options.weightDecay ?? 0;
    assertUnitInterval(this.beta1, 'betas[0]', name);
    assertUnitInterval(this.beta2, 'betas[1]', name);
    assertNonNegative(this.eps, 'eps', name);
    assertNonNegative(this.weightDecay, 'weightDecay', name);
  }

  protected override update(param: Tensor, grad: Tensor): void {
    const [m, v] = this.stateOf(param, 2) as [Tensor, Tensor];
    const { lr, beta1, beta2, eps, weightDecay: wd, stepCount: t } = this;
    const biasCorrection1 = 1 - beta1 ** t;
    const sqrtBiasCorrection2 = Math.sqrt(1 - beta2 ** t);
    tidy(() => {
      let d = grad;
      if (wd !== 0) {
        if (this.decoupled) scaleInPlace(param, 1 - lr * wd);
        else d = add(grad, mul(param, wd));
      }
      scaleInPlace(m, beta1);
      addInPlace(m, d, 1 - beta1);
      scaleInPlace(v, beta2);
      addInPlace(v, mul(d, d), 1 - beta2);
      const denominator = add(div(sqrt(v), sqrtBiasCorrection2), eps);
      addInPlace(param, div(m, denominator), -lr / biasCorrection1);
    });
  }
}

/**
 * AdamW (Loshchilov & Hutter): Adam with decoupled weight decay, θ ← (1 − lr·λ)θ before the Adam
 * step on the plain gradient. PyTorch's default λ for AdamW is 1e-2.
 */
export class AdamW extends Adam {
  protected override readonly decoupled: boolean = true;

  constructor(params: Iterable<Tensor>, options: AdamOptions = {}) {
    super(params, { ...options, weightDecay: options.weightDecay ?? 1e-2 }, 'AdamW');
  }
}
