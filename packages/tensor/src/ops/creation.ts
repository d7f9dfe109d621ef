import { allocate, type DType, type TypedArray } from '../dtype';
import { engine } from '../engine';
import { ArgumentError, DTypeError, ShapeError } from '../errors';
import type { Rng } from '../rng';
import { assertValidShape, formatShape, sizeOf, type Shape } from '../shape';
import type { NestedArray, Tensor } from '../tensor';

/** Values accepted by `tensor()`: a number, nested arrays of numbers, or a typed/plain flat array. */
export type TensorLike = number | NestedArray | readonly number[] | TypedArray;

function inferShape(values: NestedArray | readonly number[]): number[] {
  const shape: number[] = [];
  let level: NestedArray | readonly number[] = values;
  while (Array.isArray(level)) {
    shape.push(level.length);
    if (level.length === 0) break;
    level = level[0] as NestedArray;
  }
  return shape;
}

function flattenInto(
  values: NestedArray,
  shape: Shape,
  dim: number,
  out: TypedArray,
  offset: number,
): number {
  if (dim === shape.length) {
    if (typeof values !== 'number')
      throw new ShapeError(`tensor: nested array is ragged; expected shape ${formatShape(shape)}`);
    out[offset] = values;
    return offset + 1;
  }
  if (!Array.isArray(values) || values.length !== shape[dim]) {
    throw new ShapeError(
      `tensor: nested array is ragged at depth ${dim}; expected shape ${formatShape(shape)}`,
    );
  }
  for (const v of values) offset = flattenInto(v, shape, dim + 1, out, offset);
  return offset;
}

/**
 * Creates a tensor from a number, nested arrays, or a flat array with an explicit `shape`.
 * A typed array is taken without copying: do not mutate it afterwards.
 *
 * @example
 * tensor([[1, 2], [3, 4]]);            // shape [2, 2], float32
 * tensor(new Int32Array([3, 1]), [2]); // int32 labels
 */
export function tensor(values: TensorLike, shape?: Shape, dtype?: DType): Tensor {
  let data: TypedArray;
  let finalShape: number[];
  if (values instanceof Float32Array || values instanceof Int32Array) {
    const dt = dtype ?? (values instanceof Int32Array ? 'int32' : 'float32');
    data = values instanceof Int32Array === (dt === 'int32') ? values : allocate(dt, values.length);
    if (data !== values) data.set(values);
    finalShape = shape ? [...shape] : [values.length];
  } else if (typeof values === 'number') {
    data = allocate(dtype ?? 'float32', 1);
    data[0] = values;
    finalShape = shape ? [...shape] : [];
  } else {
    const inferred = inferShape(values);
    data = allocate(dtype ?? 'float32', sizeOf(inferred));
    flattenInto(values as NestedArray, inferred, 0, data, 0);
    finalShape = shape ? [...shape] : inferred;
  }
  assertValidShape(finalShape, 'tensor');
  if (sizeOf(finalShape) !== data.length) {
    throw new ShapeError(
      `tensor: ${data.length} values do not fill shape ${formatShape(finalShape)} (${sizeOf(finalShape)} elements)`,
    );
  }
  return engine().makeTensor(data, finalShape, data instanceof Int32Array ? 'int32' : 'float32');
}

/** A rank-0 tensor. */
export function scalar(value: number, dtype: DType = 'float32'): Tensor {
  return tensor(value, [], dtype);
}

/** A tensor filled with `value`. */
export function full(shape: Shape, value: number, dtype: DType = 'float32'): Tensor {
  assertValidShape(shape, 'full');
  const data = allocate(dtype, sizeOf(shape));
  if (value !== 0) data.fill(value);
  return engine().makeTensor(data, shape, dtype);
}

/** A tensor of zeros. */
export function zeros(shape: Shape, dtype: DType = 'float32'): Tensor {
  return full(shape, 0, dtype);
}

/** A tensor of ones. */
export function ones(shape: Shape, dtype: DType = 'float32'): Tensor {
  return full(shape, 1, dtype);
}

/** Zeros with the shape and dtype of `t`. */
export function zerosLike(t: Tensor): Tensor {
  return full(t.shape, 0, t.dtype);
}

/** Ones with the shape and dtype of `t`. */
export function onesLike(t: Tensor): Tensor {
  return full(t.shape, 1, t.dtype);
}

/** `[start, stop)` in steps of `step`, like NumPy's `arange`; `arange(n)` is `0..n-1`. */
export function arange(start: number, stop?: number, step = 1, dtype: DType = 'float32'): Tensor {
  const [lo, hi] = stop === undefined ? [0, start] : [start, stop];
  if (step === 0 || !Number.isFinite(step))
    throw new ArgumentError(`arange: step ${step}; expected a finite non-zero number`);
  const n = Math.max(0, Math.ceil((hi - lo) / step));
  const data = allocate(dtype, n);
  for (let i = 0; i < n; i++) data[i] = lo + i * step;
  return engine().makeTensor(data, [n], dtype);
}

/** `num` evenly spaced values from `start` to `stop` inclusive. */
export function linspace(start: number, stop: number, num: number): Tensor {
  if (!Number.isInteger(num) || num < 0)
    throw new ArgumentError(`linspace: num ${num}; expected a non-negative integer`);
  const data = new Float32Array(num);
  const step = num > 1 ? (stop - start) / (num - 1) : 0;
  for (let i = 0; i < num; i++) data[i] = start + i * step;
  return engine().makeTensor(data, [num], 'float32');
}

/** The `n`×`m` identity (ones on the main diagonal). */
export function eye(n: number, m: number = n): Tensor {
  assertValidShape([n, m], 'eye');
  const data = new Float32Array(n * m);
  for (let i = 0; i < Math.min(n, m); i++) data[i * m + i] = 1;
  return engine().makeTensor(data, [n, m], 'float32');
}

/** Uniform samples in `[low, high)` drawn from `rng`. */
export function uniform(shape: Shape, low: number, high: number, rng: Rng): Tensor {
  assertValidShape(shape, 'uniform');
  if (!(high >= low)) throw new ArgumentError(`uniform: low ${low} > high ${high}; expected low <= high`);
  return engine().makeTensor(rng.fillUniform(new Float32Array(sizeOf(shape)), low, high), shape, 'float32');
}

/** Uniform samples in `[0, 1)` drawn from `rng`. */
export function rand(shape: Shape, rng: Rng): Tensor {
  return uniform(shape, 0, 1, rng);
}

/** Normal samples with the given mean and standard deviation, drawn from `rng`. */
export function randn(shape: Shape, rng: Rng, mean = 0, std = 1): Tensor {
  assertValidShape(shape, 'randn');
  return engine().makeTensor(rng.fillNormal(new Float32Array(sizeOf(shape)), mean, std), shape, 'float32');
}

/** 0/1 samples that are 1 with probability `p`, drawn from `rng`. */
export function bernoulli(shape: Shape, p: number, rng: Rng): Tensor {
  assertValidShape(shape, 'bernoulli');
  if (!(p >= 0 && p <= 1)) throw new ArgumentError(`bernoulli: p=${p}; expected a probability in [0, 1]`);
  const data = new Float32Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = rng.uniform() < p ? 1 : 0;
  return engine().makeTensor(data, shape, 'float32');
}

/** Throws a `DTypeError` naming `op` unless `t` has dtype `expected`. */
export function assertDType(t: Tensor, expected: DType, op: string): void {
  if (t.dtype !== expected) {
    throw new DTypeError(
      `${op}: got a ${t.dtype} tensor of shape ${formatShape(t.shape)}; expected ${expected}`,
    );
  }
}
