import { engine } from '../engine';
import { ShapeError } from '../errors';
import { broadcastShapes, formatShape, shapesEqual } from '../shape';
import type { Tensor } from '../tensor';
import { expectNumber, expectTensor } from './operands';

/** Checks that `other` broadcasts to exactly the target's shape (the target never changes shape). */
function expectBroadcastsInto(op: string, target: Tensor, other: Tensor): void {
  if (!shapesEqual(broadcastShapes(target.shape, other.shape, op), target.shape)) {
    throw new ShapeError(
      `${op}: shape ${formatShape(other.shape)} does not broadcast into the target's shape ${formatShape(target.shape)}; expected equal sizes or 1, aligned on the right`,
    );
  }
}

/**
 * `target += alpha · other` in place (`other` broadcasts to the target's shape); returns `target`.
 * For optimizers: not recorded by autograd. Values are stored in the target's dtype.
 */
export function addInPlace(target: Tensor, other: Tensor, alpha = 1): Tensor {
  const t = expectTensor(target, 'addInPlace', 'target');
  const o = expectTensor(other, 'addInPlace', 'other');
  expectNumber(alpha, 'addInPlace', 'alpha');
  expectBroadcastsInto('addInPlace', t, o);
  return engine().runInPlace('addInPlace', t, [o], { alpha });
}

/** `target *= factor` in place; returns `target`. */
export function scaleInPlace(target: Tensor, factor: number): Tensor {
  const t = expectTensor(target, 'scaleInPlace', 'target');
  expectNumber(factor, 'scaleInPlace', 'factor');
  return engine().runInPlace('scaleInPlace', t, [], { factor });
}

/** Copies `source` (broadcast to the target's shape) into `target`; returns `target`. */
export function assignInPlace(target: Tensor, source: Tensor): Tensor {
  const t = expectTensor(target, 'assignInPlace', 'target');
  const s = expectTensor(source, 'assignInPlace', 'source');
  expectBroadcastsInto('assignInPlace', t, s);
  return engine().runInPlace('assignInPlace', t, [s]);
}

/** Sets every element of `target` to `value`; returns `target`. */
export function fillInPlace(target: Tensor, value: number): Tensor {
  const t = expectTensor(target, 'fillInPlace', 'target');
  expectNumber(value, 'fillInPlace', 'value');
  return engine().runInPlace('fillInPlace', t, [], { value });
}
