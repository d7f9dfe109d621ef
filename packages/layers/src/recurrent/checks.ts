import { DTypeError, ShapeError, Tensor, formatShape, shapesEqual } from '@fbt/tensor';

function describe(value: unknown): string {
  return value instanceof Tensor ? `shape ${formatShape(value.shape)}` : `value ${String(value)}`;
}

/**
 * Checks that `value` is a float32 tensor of exactly `shape`; otherwise throws one line naming `op`,
 * the argument `name` and the expected form (`shape` and, in words, `meaning`).
 */
export function checkTensor(
  value: unknown,
  shape: readonly number[],
  name: string,
  op: string,
  meaning: string,
): void {
  if (!(value instanceof Tensor) || !shapesEqual(value.shape, shape)) {
    throw new ShapeError(`${op}: ${name} of ${describe(value)}; expected ${formatShape(shape)} (${meaning})`);
  }
  if (value.dtype !== 'float32')
    throw new DTypeError(`${op}: ${name} has dtype ${value.dtype}; expected float32`);
}

/**
 * Checks a sequence input `[T, N, inputSize]` (`[N, T, inputSize]` when `batchFirst`) with T, N ≥ 1
 * and returns its number of steps and batch size.
 */
export function checkSequence(
  x: unknown,
  inputSize: number,
  batchFirst: boolean,
  op: string,
): { steps: number; batch: number } {
  const form = batchFirst ? `[N, T, ${inputSize}]` : `[T, N, ${inputSize}]`;
  const ok = x instanceof Tensor && x.rank === 3 && x.shape[2] === inputSize && x.size > 0;
  if (!ok) throw new ShapeError(`${op}: input of ${describe(x)}; expected ${form} with T, N >= 1`);
  if (x.dtype !== 'float32') throw new DTypeError(`${op}: input has dtype ${x.dtype}; expected float32`);
  const [a, b] = x.shape as [number, number, number];
  return batchFirst ? { steps: b, batch: a } : { steps: a, batch: b };
}

/** Checks a cell input `[N, inputSize]` with N ≥ 1 and returns N. */
export function checkCellInput(x: unknown, inputSize: number, op: string): number {
  const ok = x instanceof Tensor && x.rank === 2 && x.shape[1] === inputSize && x.size > 0;
  if (!ok) throw new ShapeError(`${op}: input of ${describe(x)}; expected [N, ${inputSize}] with N >= 1`);
  if (x.dtype !== 'float32') throw new DTypeError(`${op}: input has dtype ${x.dtype}; expected float32`);
  return x.shape[0]!;
}
