import {
  ArgumentError,
  addInPlace,
  assignInPlace,
  checkOptions,
  scaleInPlace,
  type Tensor,
} from '@fbt/tensor';
import { Optimizer, assertNonNegative } from './optimizer';

/** Options of `SGD` (PyTorch's names and defaults). */
export interface SGDOptions {
  /** Learning rate. */
  readonly lr: number;
  /** Momentum factor μ (default 0: plain SGD). */
  readonly momentum?: number;
  /** Dampening τ of the momentum (default 0). */
  readonly dampening?: number;
  /** Nesterov momentum (default false; needs momentum > 0 and dampening 0). */
  readonly nesterov?: boolean;
  /** L2 penalty λ added to the gradient (default 0). */
  readonly weightDecay?: number;
}

/**
 * Stochastic gradient descent with PyTorch's semantics. With d = g + λθ:
 * b ← d on the first step, else b ← μb + (1−τ)d; the step direction is d + μb (Nesterov), b
 * (momentum) or d (none); θ ← θ − lr·direction. Every update is in place; the only state is b.
 */
export class SGD extends Optimizer {
  /** Momentum factor. */
  readonly momentum: number;
  /** Dampening. */
  readonly dampening: number;
  /** Nesterov momentum. */
  readonly nesterov: boolean;
  /** L2 penalty. */
  readonly weightDecay: number;

  constructor(params: Iterable<Tensor>, options: SGDOptions) {
    checkOptions(
      options,
      { lr: true, momentum: true, dampening: true, nesterov: true, weightDecay: true },
      'SGD',
    );
    super(params, options.lr, 'SGD');
    this.momentum = options.momentum ?? 0;
    this.dampening = options.dampening ?? 0;
    this.nesterov = options.nesterov ?? false;
    this.weightDecay = options.weightDecay ?? 0;
    assertNonNegative(this.momentum, 'momentum', 'SGD');
    assertNonNegative(this.dampening, 'dampening', 'SGD');
    assertNonNegative(this.weightDecay, 'weightDecay', 'SGD');
    if (this.nesterov && (this.momentum <= 0 || this.dampening !== 0)) {
      throw new ArgumentError(
        `SGD: nesterov needs momentum > 0 and dampening 0; got momentum=${this.momentum}, dampening=${this.dampening}`,
      );
    }
  }

  protected override update(param: Tensor, grad: Tensor): void {
    const { lr, momentum: mu, weightDecay: wd } = this;
    if (mu === 0) {
      // θ ← (1 − lr·λ)θ − lr·g
      if (wd !== 0) scaleInPlace(param, 1 - lr * wd);
      addInPlace(param, grad, -lr);
      return;
    }
    const first = !this.hasState(param);
    const [buf] = this.stateOf(param, 1) as [Tensor];
    // b ← d (first step) or μb + (1−τ)d, with d = g + λθ, θ still the old value.
    const share = first ? 1 : 1 - this.dampening;
    if (first) assignInPlace(buf, grad);
    else {
      scaleInPlace(buf, mu);
      addInPlace(buf, grad, share);
    }
    if (wd !== 0) addInPlace(buf, param, share * wd);
    // θ ← θ − lr·(d + μb) (Nesterov) or θ − lr·b.
    if (this.nesterov) {
      if (wd !== 0) scaleInPlace(param, 1 - lr * wd);
      addInPlace(param, grad, -lr);
      addInPlace(param, buf, -lr * mu);
    } else {
      addInPlace(param, buf, -lr);
    }
  }
}
