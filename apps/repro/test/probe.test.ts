import { describe, expect, it } from 'vitest';
import { compareGradients } from '../src/train/probe';

/** dot / (‖a‖·‖a‖) of this vector is 1.0000000000000002 in float64. */
const ROUNDS_ABOVE_ONE = Float32Array.of(
  0.3892102539539337,
  -0.36242151260375977,
  -0.27420279383659363,
  -0.22026735544204712,
  0.29387301206588745,
);

describe('compareGradients', () => {
  it('gives cosine 1 and full sign agreement for equal vectors, even where rounding would give 1 + 2⁻⁵²', () => {
    expect(compareGradients('w', ROUNDS_ABOVE_ONE, ROUNDS_ABOVE_ONE)).toEqual({
      layer: 'w',
      cosine: 1,
      signAgreement: 1,
    });
  });

  it('gives −1 for opposite vectors, 0 for orthogonal or zero ones, and the share of equal signs (sign(0) = +1)', () => {
    const opposite = ROUNDS_ABOVE_ONE.map((v) => -v);
    expect(compareGradients('w', ROUNDS_ABOVE_ONE, opposite).cosine).toBe(-1);
    expect(compareGradients('w', Float32Array.of(1, -1), Float32Array.of(1, 1))).toEqual({
      layer: 'w',
      cosine: 0,
      signAgreement: 0.5,
    });
    expect(compareGradients('w', Float32Array.of(0, 0), Float32Array.of(1, 1))).toEqual({
      layer: 'w',
      cosine: 0,
      signAgreement: 1,
    });
  });
});
