import type { KernelAttrs } from '../backend/interface';
import { engine } from '../engine';
import { ArgumentError } from '../errors';
import { Tensor } from '../tensor';
import { scalar } from './creation';

/** An op argument that is either a tensor or a plain number (which becomes a rank-0 tensor). */
export type Operand = Tensor | number;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object'
    ? `a ${value.constructor?.name ?? 'object'}`
    : `a ${typeof value} (${String(value)})`;
}

/** Returns `value` if it is a tensor; otherwise throws an `ArgumentError` naming `op` and the argument. */
export function expectTensor(value: unknown, op: string, role: string): Tensor {
  if (value instanceof Tensor) return value;
  throw new ArgumentError(`${op}: ${role} is ${describe(value)}; expected a Tensor`);
}

/**
 * The tensor for an operand. A number becomes a rank-0 tensor: int32 when it is an integer and
 * every tensor `partners` is int32 (so `add(labels, 1)` stays int32), float32 otherwise.
 */
export function operandTensor(
  value: Operand,
  partners: readonly Operand[],
  op: string,
  role: string,
): Tensor {
  if (typeof value === 'number') {
    const intContext =
      partners.some((p) => p instanceof Tensor) &&
      partners.every((p) => !(p instanceof Tensor) || p.dtype === 'int32');
    return scalar(value, Number.isInteger(value) && intContext ? 'int32' : 'float32');
  }
  if (value instanceof Tensor) return value;
  throw new ArgumentError(`${op}: ${role} is ${describe(value)}; expected a Tensor or a number`);
}

/** Runs a single-output kernel through the engine (so autograd observes it) and returns its output. */
export function runOne(kernelName: string, inputs: readonly Tensor[], attrs: KernelAttrs = {}): Tensor {
  return engine().runKernel(kernelName, inputs, attrs)[0]!;
}

/** Throws an `ArgumentError` unless `value` is a number that is not NaN. */
export function expectNumber(value: unknown, op: string, role: string): number {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new ArgumentError(`${op}: ${role} is ${describe(value)}; expected a number`);
  }
  return value;
}
