import { backward } from '@fbt/autograd';
import { Rng, tensor, tidy } from '@fbt/tensor';
import { describe, expect, it } from 'vitest';
import { activation, compose, rule, sample } from '../src';
import { expectClose, gradValues } from './helpers';

function gradOf(act: ReturnType<typeof activation>, z: number[][], g: number[][]): number[][] {
  return tidy(() => {
    const zt = tensor(z);
    zt.requiresGrad = true;
    backward(act(zt), { grad: tensor(g) });
    return zt.grad!.toArray() as number[][];
  });
}

describe('gradient transforms', () => {
  it('scale multiplies g by s', () => {
    expect(gradValues(activation('sign', 'scale', { s: -3 }), [1, 2], [1, 0.5])).toEqual([-3, -1.5]);
  });

  it('clipNorm rescales the whole gradient to norm ≤ max and leaves smaller ones alone', () => {
    const clip = activation('linear', 'clipNorm');
    expectClose(gradValues(clip, [0, 0], [3, 4]), [0.6, 0.8], 'norm 5 → 1');
    expectClose(gradValues(clip, [0, 0], [0.3, 0.4]), [0.3, 0.4], 'norm 0.5 kept');
    expect(gradValues(clip, [0, 0], [0, 0])).toEqual([0, 0]);
    expectClose(
      gradValues(activation('linear', 'clipNorm', { max: 2.5 }), [0, 0], [3, 4]),
      [1.5, 2],
      'max 2.5',
    );
    expectClose(
      gradOf(
        clip,
        [
          [0, 0],
          [0, 0],
        ],
        [
          [3, 0],
          [0, 4],
        ],
      ).flat(),
      [0.6, 0, 0, 0.8],
      'over all elements',
    );
  });

  it('centralize subtracts the per-example mean (all elements for rank 1)', () => {
    const c = activation('linear', 'centralize');
    expect(
      gradOf(
        c,
        [
          [0, 0, 0],
          [0, 0, 0],
        ],
        [
          [1, 2, 3],
          [4, 4, 4],
        ],
      ),
    ).toEqual([
      [-1, 0, 1],
      [0, 0, 0],
    ]);
    expect(gradValues(c, [0, 0, 0], [1, 2, 6])).toEqual([-2, -1, 3]);
  });

  it('sample() runs reductions on tensors with g = 1', () => {
    expect(Array.from(sample('clipNorm', [0, 0, 0, 0]))).toEqual([0.5, 0.5, 0.5, 0.5]);
    expect(Array.from(sample('centralize', [5, -5]))).toEqual([0, 0]);
    expect(Array.from(sample(compose('rectangular', 'clipNorm'), [0, 0, 9, 9]))).toEqual(
      [Math.SQRT1_2, Math.SQRT1_2, 0, 0].map(Math.fround),
    );
  });

  it("compose('rectangular', 'noise') passes g·1[a≤z≤b] + σn, n drawn from the backward's rng", () => {
    const z = [0, 0.2, 3, -3];
    const act = activation('heaviside', compose('rectangular', rule('noise', { sigma: 0.1 })));
    const draws = new Rng(8);
    const n = z.map(() => Math.fround(draws.normal()));
    const expected = z.map((v, i) => (Math.abs(v) <= 0.5 ? 1 : 0) + 0.1 * n[i]!);
    expectClose(gradValues(act, z, undefined, new Rng(8)), expected, 'rect + noise');
  });

  it('sample() gives ψ for a registered-style composition of factors', () => {
    expectClose(
      Array.from(sample(compose('triangular', rule('scale', { s: 2 })), [-0.5, 0, 2])),
      [1, 2, 0],
      'tri·2',
    );
  });
});
