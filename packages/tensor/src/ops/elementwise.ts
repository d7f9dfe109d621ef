import type { DType } from '../dtype';
import { DTypeError, ArgumentError, ShapeError } from '../errors';
import { broadcastShapes, formatShape, type Shape } from '../shape';
import type { Tensor } from '../tensor';
import { expectNumber, expectTensor, operandTensor, runOne, type Operand } from './operands';

export { elementwiseResultDType } from '../kernel-dtypes';

/**
 * An elementwise op of two operands with NumPy broadcasting: shapes are aligned on the right and
 * each pair of dimensions must be equal or contain a 1. Either operand may be a plain number.
 */
export type BinaryOp = (a: Operand, b: Operand) => Tensor;

/** An elementwise op of one tensor; the output has the input's shape. */
export type UnaryOp = (x: Tensor) => Tensor;

function binary(kernelName: string): BinaryOp {
  return (a, b) => {
    const ta = operandTensor(a, [b], kernelName, 'operand a');
    const tb = operandTensor(b, [a], kernelName, 'operand b');
    broadcastShapes(ta.shape, tb.shape, kernelName);
    return runOne(kernelName, [ta, tb]);
  };
}

function unary(kernelName: string): UnaryOp {
  return (x) => runOne(kernelName, [expectTensor(x, kernelName, 'x')]);
}

/** `a + b`, broadcast. int32 + int32 stays int32 (wrapping like C); a float32 operand gives float32. */
export const add: BinaryOp = binary('add');
/** `a - b`, broadcast. int32 − int32 stays int32; otherwise float32. */
export const sub: BinaryOp = binary('sub');
/** `a * b`, broadcast. int32 · int32 stays int32 (exact wrapping product); otherwise float32. */
export const mul: BinaryOp = binary('mul');
/** `a / b`, broadcast, always float32 (IEEE: x/0 = ±Infinity, 0/0 = NaN). */
export const div: BinaryOp = binary('div');
/** `a ** b`, broadcast, always float32. */
export const pow: BinaryOp = binary('pow');
/** Elementwise smaller of `a` and `b`, broadcast (NaN if either is NaN). int32 with int32 stays int32. */
export const minimum: BinaryOp = binary('minimum');
/** Elementwise larger of `a` and `b`, broadcast (NaN if either is NaN). int32 with int32 stays int32. */
export const maximum: BinaryOp = binary('maximum');
/** `a > b` as float32 1/0, broadcast. */
export const greater: BinaryOp = binary('greater');
/** `a >= b` as float32 1/0, broadcast. */
export const greaterEqual: BinaryOp = binary('greaterEqual');
/** `a < b` as float32 1/0, broadcast. */
export const less: BinaryOp = binary('less');
/** `a <= b` as float32 1/0, broadcast. */
export const lessEqual: BinaryOp = binary('lessEqual');
/** `a == b` as float32 1/0, broadcast (NaN equals nothing). */
export const equal: BinaryOp = binary('equal');
/** `a != b` as float32 1/0, broadcast (NaN differs from everything). */
export const notEqual: BinaryOp = binary('notEqual');

/** `-x`. int32 stays int32. */
export const neg: UnaryOp = unary('neg');
/** `|x|`. int32 stays int32. */
export const abs: UnaryOp = unary('abs');
/** `e^x`, float32. */
export const exp: UnaryOp = unary('exp');
/** Natural logarithm, float32 (log 0 = −Infinity, log of a negative = NaN). */
export const log: UnaryOp = unary('log');
/** Square root, float32. */
export const sqrt: UnaryOp = unary('sqrt');
/** `x²`. int32 stays int32. */
export const square: UnaryOp = unary('square');
/** Hyperbolic tangent, float32. */
export const tanh: UnaryOp = unary('tanh');
/** Logistic sigmoid `1 / (1 + e^−x)`, float32; exact 0 and 1 far out, never NaN for finite x. */
export const sigmoid: UnaryOp = unary('sigmoid');
/** `max(x, 0)`, float32 (NaN stays NaN). */
export const relu: UnaryOp = unary('relu');
/** −1 for x < 0, +1 for x ≥ 0 (sign(0) = +1, the fbt convention), float32. */
export const sign: UnaryOp = unary('sign');
/** Heaviside step `1[x ≥ 0]` (H(0) = 1, the fbt convention), float32. */
export const step: UnaryOp = unary('step');
/** `1 / x`, float32. */
export const reciprocal: UnaryOp = unary('reciprocal');

/**
 * Limits every element to `[min, max]` (NaN stays NaN). Keeps the dtype of `x`.
 * @throws ArgumentError when a bound is not a number or `min > max`.
 */
export function clamp(x: Tensor, min: number, max: number): Tensor {
  const t = expectTensor(x, 'clamp', 'x');
  expectNumber(min, 'clamp', 'min');
  expectNumber(max, 'clamp', 'max');
  if (min > max) throw new ArgumentError(`clamp: min ${min} > max ${max}; expected min <= max`);
  return runOne('clamp', [t], { min, max });
}

/** The broadcast of several shapes; the error lists all of them. */
function broadcastMany(shapes: readonly Shape[], op: string): Shape {
  try {
    return shapes.reduce<Shape>((acc, s) => broadcastShapes(acc, s, op), []);
  } catch (e) {
    if (!(e instanceof ShapeError)) throw e;
    throw new ShapeError(
      `${op}: shapes ${shapes.map(formatShape).join(', ')} do not broadcast; expected every dimension (aligned on the right) to be equal or 1`,
    );
  }
}

/**
 * Picks `a` where `cond` is non-zero and `b` elsewhere; all three broadcast together. `a` and `b`
 * may be numbers. The result is int32 when `a` and `b` are both int32, float32 otherwise.
 */
export function where(cond: Tensor, a: Operand, b: Operand): Tensor {
  const c = expectTensor(cond, 'where', 'cond');
  const ta = operandTensor(a, [b], 'where', 'a');
  const tb = operandTensor(b, [a], 'where', 'b');
  broadcastMany([c.shape, ta.shape, tb.shape], 'where');
  return runOne('where', [c, ta, tb]);
}

/** Converts `x` to `dtype` (a copy even when the dtype is unchanged); float32 → int32 truncates toward zero and NaN becomes 0. */
export function cast(x: Tensor, dtype: DType): Tensor {
  const t = expectTensor(x, 'cast', 'x');
  if (dtype !== 'float32' && dtype !== 'int32') {
    throw new DTypeError(`cast: dtype '${String(dtype)}'; expected 'float32' or 'int32'`);
  }
  return runOne('cast', [t], { dtype });
}
