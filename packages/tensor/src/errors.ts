/** Base class of every error fbt raises on purpose: catch `FbtError` to handle them all. */
export class FbtError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Shapes that do not fit an op: the message names the op, the shapes it got and what it expected. */
export class ShapeError extends FbtError {}

/** An axis outside `[-rank, rank)` or repeated. */
export class AxisError extends FbtError {}

/** A tensor of the wrong dtype for an op (for example int32 labels where float32 data is needed). */
export class DTypeError extends FbtError {}

/** A bad argument that is not a shape, axis or dtype: a negative size, NaN, an unknown name. */
export class ArgumentError extends FbtError {}

/** A tensor used after `dispose()`. */
export class DisposedError extends FbtError {}

/** A kernel that the active backend does not provide, or a backend that is not registered. */
export class BackendError extends FbtError {}
