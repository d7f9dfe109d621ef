import { ArgumentError, cosTurns } from '@fbt/tensor';
import type { Optimizer } from './optimizer';

/**
 * Base of the learning-rate schedules: it remembers the optimizer's initial rate and, on each
 * `step()` (call it once per epoch, after the optimizer's steps), writes `lrAt(epoch)` into it.
 */
export abstract class LRScheduler {
  /** The optimizer's learning rate when the schedule was created. */
  readonly baseLr: number;
  /** Number of `step()` calls so far. */
  epoch = 0;

  protected constructor(readonly optimizer: Optimizer) {
    this.baseLr = optimizer.lr;
  }

  /** The learning rate for epoch `epoch` (0 is the first). */
  abstract lrAt(epoch: number): number;

  /** Advances one epoch and sets the optimizer's learning rate. */
  step(): void {
    this.epoch++;
    this.optimizer.lr = this.lrAt(this.epoch);
  }
}

/** PyTorch's `StepLR`: lr = base·γ^⌊epoch/stepSize⌋. */
export class StepLR extends LRScheduler {
  constructor(
    optimizer: Optimizer,
    readonly stepSize: number,
    readonly gamma = 0.1,
  ) {
    super(optimizer);
    if (!Number.isInteger(stepSize) || stepSize < 1)
      throw new ArgumentError(`StepLR: stepSize=${stepSize}; expected a positive integer`);
    if (!(gamma >= 0) || !Number.isFinite(gamma))
      throw new ArgumentError(`StepLR: gamma=${gamma}; expected a finite number >= 0`);
  }

  override lrAt(epoch: number): number {
    return this.baseLr * this.gamma ** Math.floor(epoch / this.stepSize);
  }
}

/** PyTorch's `CosineAnnealingLR` (closed form): lr = η_min + (base − η_min)·(1 + cos(π·epoch/T_max))/2. */
export class CosineAnnealingLR extends LRScheduler {
  constructor(
    optimizer: Optimizer,
    readonly tMax: number,
    readonly etaMin = 0,
  ) {
    super(optimizer);
    if (!Number.isInteger(tMax) || tMax < 1)
      throw new ArgumentError(`CosineAnnealingLR: tMax=${tMax}; expected a positive integer`);
    if (!(etaMin >= 0) || !Number.isFinite(etaMin))
      throw new ArgumentError(`CosineAnnealingLR: etaMin=${etaMin}; expected a finite number >= 0`);
  }

  override lrAt(epoch: number): number {
    // cos(π·epoch/T_max) as cosTurns(epoch/(2·T_max)): the same bits in every JavaScript engine
    return this.etaMin + ((this.baseLr - this.etaMin) * (1 + cosTurns(epoch / (2 * this.tMax)))) / 2;
  }
}
