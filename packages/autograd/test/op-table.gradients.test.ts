import { ELEMENTWISE_OPS, engine, tensor, type Tensor } from '@fbt/tensor';
import { describe, it } from 'vitest';
import { expectGradOk, positive, values } from './helpers';

/** Ops whose formula needs positive inputs (log, square root, a real power). */
const POSITIVE_DOMAIN = new Set(['log', 'sqrt', 'pow']);
/** Kernel attributes of the ops that take some. */
const ATTRS: Readonly<Record<string, Readonly<Record<string, number>>>> = { clamp: { min: -0.8, max: 0.9 } };

/**
 * An input of `op` for the check: the second input broadcast from a row (so the gradient is summed
 * back), a condition as int32 (never perturbed), otherwise seeded values away from 0 and from ties.
 */
function inputOf(opName: string, name: string, k: number): Tensor {
  if (name === 'c')
    return tensor(
      Int32Array.from({ length: 12 }, (_, i) => i % 3),
      [3, 4],
      'int32',
    );
  const shape = k === 0 ? [3, 4] : [4];
  return POSITIVE_DOMAIN.has(opName) ? positive(shape, k + 1) : values(shape, k + 1);
}

describe('every differentiable record of the op table passes gradCheck', () => {
  for (const op of ELEMENTWISE_OPS.filter((o) => o.gradient !== 'none')) {
    it(op.name, () => {
      const inputs = op.inputs.map((name, k) => inputOf(op.name, name, k));
      expectGradOk((...ts) => engine().runKernel(op.name, ts, ATTRS[op.name] ?? {})[0]!, inputs);
    });
  }
});
