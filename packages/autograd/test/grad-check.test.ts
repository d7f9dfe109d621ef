import { describe, expect, it } from 'vitest';
import { gather, mul, square, sum, tensor } from '@fbt/tensor';
import { customOp, gradCheck } from '../src';
import { values } from './helpers';

/** square with a deliberately wrong backward (3x instead of 2x). */
const wrongSquare = customOp<null>({
  name: 'wrongSquare',
  forward: ([x]) => ({ output: square(x!) }),
  backward: ({ grad, inputs }) => [mul(grad, mul(inputs[0]!, 3))],
});

describe('gradCheck', () => {
  it('passes a correct gradient with errors far below the tolerance', () => {
    const result = gradCheck((x) => sum(square(x)), [values([4], 1)]);
    expect(result.ok).toBe(true);
    expect(result.maxRelError).toBeLessThan(1e-3);
  });

  it('catches a wrong backward and names the worst element', () => {
    const x = tensor([0.5, -1, 2]);
    const result = gradCheck((t) => sum(wrongSquare([t], null)), [x]);
    expect(result.ok).toBe(false);
    // analytic 3x vs numeric 2x: the largest gap is at x = 2 (6 vs 4).
    expect(result.worst).toMatchObject({ input: 0, index: 2 });
    expect(result.worst!.analytic).toBeCloseTo(6, 5);
    expect(result.worst!.numeric).toBeCloseTo(4, 2);
    expect(result.maxAbsError).toBeCloseTo(2, 2);
    expect(result.maxRelError).toBeCloseTo(1 / 3, 2);
  });

  it('checks non-scalar outputs and passes int32 arguments through unchecked', () => {
    const idx = tensor(new Int32Array([1, 0, 1]), [3]);
    const result = gradCheck((x, i) => gather(x, i!, 0), [values([2, 3], 2), idx]);
    expect(result.ok).toBe(true);
  });

  it('rejects bad options and a function that ignores its arguments', () => {
    expect(() => gradCheck((x) => x, [tensor([1])], { eps: 0 })).toThrow(
      /eps=0; expected a finite number > 0/,
    );
    expect(() => gradCheck((x) => x, [tensor([1])], { atol: Number.NaN })).toThrow(/atol=NaN/);
    expect(() => gradCheck(() => tensor([1]), [tensor([1])])).toThrow(
      /did not return a tensor computed from/,
    );
  });
});
