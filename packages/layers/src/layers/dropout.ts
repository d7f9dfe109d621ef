import { ArgumentError, bernoulli, checkOptions, mul, type Rng, type Tensor } from '@fbt/tensor';
import { Module } from '../module';

/** Options of `Dropout`. */
export interface DropoutOptions {
  /** Generator for the masks; each training forward draws a fresh mask from it. */
  readonly rng: Rng;
}

/**
 * Inverted dropout: in training mode each element is zeroed with probability `p` and the survivors
 * are scaled by 1/(1−p), so evaluation (where it is the identity) needs no rescaling. Masks come
 * from the seeded `rng`.
 */
export class Dropout extends Module {
  private readonly rng: Rng;

  constructor(
    readonly p: number,
    options: DropoutOptions,
  ) {
    super();
    checkOptions(options, { rng: true }, 'Dropout');
    if (!(p >= 0 && p <= 1)) throw new ArgumentError(`Dropout: p=${p}; expected a probability in [0, 1]`);
    this.rng = options.rng;
  }

  override forward(x: Tensor): Tensor {
    return this.training ? dropout(x, this.p, this.rng) : x;
  }
}

/**
 * Inverted dropout as a function (always active): each element is zeroed with probability `p`
 * (a mask drawn from `rng`) and the survivors are scaled by 1/(1−p); `p = 0` returns `x` itself.
 * `Dropout` and the attention weights of `MultiheadAttention` use it.
 */
export function dropout(x: Tensor, p: number, rng: Rng): Tensor {
  if (p === 0) return x;
  const keep = 1 - p;
  const mask = bernoulli(x.shape, keep, rng);
  return mul(x, mul(mask, keep === 0 ? 0 : 1 / keep));
}
