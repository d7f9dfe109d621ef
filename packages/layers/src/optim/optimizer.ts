import { noGrad } from '@fbt/autograd';
import { ArgumentError, keep, zerosLike, type Tensor } from '@fbt/tensor';

/**
 * Base of the optimizers. It holds the parameters, the learning rate (which schedules change) and
 * per-parameter state tensors, created lazily the first time a parameter has a gradient. `step()`
 * updates every parameter that has a gradient in place; parameters without one are skipped.
 */
export abstract class Optimizer {
  /** The parameters being optimised. */
  readonly params: readonly Tensor[];
  /** The current learning rate (schedules write it). */
  lr: number;
  /** Number of `step()` calls so far. */
  stepCount = 0;
  private readonly state = new Map<Tensor, Tensor[]>();
  /** The optimizer's name in messages (`SGD`, `Adam`, …). */
  private readonly name: string;

  protected constructor(params: Iterable<Tensor>, lr: number, name: string) {
    this.params = [...params];
    this.name = name;
    assertNonNegative(lr, 'lr', name);
    this.lr = lr;
    for (const [i, p] of this.params.entries()) {
      if (p.dtype !== 'float32')
        throw new ArgumentError(
          `${name}: parameter ${i} ('${p.name ?? '?'}') is ${p.dtype}; expected float32`,
        );
    }
  }

  /** Clears every parameter's gradient (sets it to null, as PyTorch's `set_to_none`). */
  zeroGrad(): void {
    for (const p of this.params) {
      p.grad?.dispose();
      p.grad = null;
    }
  }

  /**
   * Applies one update to every parameter that has a gradient (not recorded by autograd). Throws a
   * `DisposedError` naming the parameter, before any update, when a parameter was disposed (its
   * model's `dispose()`), as every other use of a disposed tensor does.
   */
  step(): void {
    for (const p of this.params) p.assertLive(`${this.name}.step`);
    this.stepCount++;
    noGrad(() => {
      for (const p of this.params) {
        if (p.grad !== null) this.update(p, p.grad);
      }
    });
  }

  /** Updates one parameter in place from its gradient. */
  protected abstract update(param: Tensor, grad: Tensor): void;

  /** The `count` zero-initialised state tensors of `param`, created on first use (and kept out of `tidy`). */
  protected stateOf(param: Tensor, count: number): Tensor[] {
    let buffers = this.state.get(param);
    if (buffers === undefined) {
      buffers = Array.from({ length: count }, () => keep(zerosLike(param)));
      this.state.set(param, buffers);
    }
    return buffers;
  }

  /**
   * Frees the optimizer's state tensors (momentum, moment estimates); the parameters stay. A later
   * `step()` starts from fresh zero state.
   */
  dispose(): void {
    for (const buffers of this.state.values()) for (const b of buffers) b.dispose();
    this.state.clear();
  }

  /** True once `param` has state (it was updated before). */
  protected hasState(param: Tensor): boolean {
    return this.state.has(param);
  }
}

/** Throws an `ArgumentError` unless `value` is a finite number >= 0. */
export function assertNonNegative(value: number, name: string, op: string): void {
  if (!(value >= 0) || !Number.isFinite(value)) {
    throw new ArgumentError(`${op}: ${name}=${value}; expected a finite number >= 0`);
  }
}

/** Throws an `ArgumentError` unless `value` lies in [0, 1). */
export function assertUnitInterval(value: number, name: string, op: string): void {
  if (!(value >= 0 && value < 1))
    throw new ArgumentError(`${op}: ${name}=${value}; expected a number in [0, 1)`);
}
