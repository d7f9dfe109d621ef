import { ArgumentError, type Tensor } from '@fbt/tensor';
import { Module } from '../module';

/** Runs its modules in order, each on the previous one's output. Children are named `0`, `1`, …. */
export class Sequential extends Module {
  private readonly layers: Module[];

  constructor(...modules: Module[]) {
    super();
    this.layers = modules.map((m, i) => {
      if (!(m instanceof Module)) throw new ArgumentError(`Sequential: argument ${i} is not a Module`);
      return this.registerModule(String(i), m);
    });
  }

  /** Number of modules. */
  get length(): number {
    return this.layers.length;
  }

  /** The module at `index` (negative counts from the end). */
  at(index: number): Module {
    const m = this.layers.at(index);
    if (m === undefined)
      throw new ArgumentError(`Sequential.at: index ${index} out of range for ${this.layers.length} modules`);
    return m;
  }

  override forward(x: Tensor): Tensor {
    let y = x;
    for (const m of this.layers) y = m.call(y);
    return y;
  }
}
