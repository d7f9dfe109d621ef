import type { Backend, DataId } from './backend/interface';
import type { DType, TypedArray } from './dtype';
import { DisposedError, ShapeError } from './errors';
import { formatShape, sizeOf, type Shape } from './shape';
import { engine } from './engine';

let nextTensorId = 0;

/** Nested JS arrays as returned by `toArray()`. */
export type NestedArray = number | NestedArray[];

/**
 * An n-dimensional array of float32 (data) or int32 (labels, indices) elements in row-major order.
 *
 * Ops are functions (`add(a, b)`, `matmul(a, b)`) that return new tensors; the few in-place ops
 * (`addInPlace`, …) end in the word `InPlace` and exist for optimizers. Storage belongs to a
 * backend; `dataSync()` reads it back. Free off-heap storage with `dispose()` or `tidy()`.
 */
export class Tensor {
  /** Unique, increasing id. */
  readonly id: number;
  /** Sizes of the dimensions, outermost first. */
  readonly shape: Shape;
  /** Element type. */
  readonly dtype: DType;
  /** Number of elements. */
  readonly size: number;
  /** Backend that owns the storage. */
  backend: Backend;
  /** Storage handle inside `backend`. Replaced by in-place ops. */
  dataId: DataId;
  /** When true, autograd tracks ops on this tensor and accumulates its gradient into `grad`. */
  requiresGrad = false;
  /** Accumulated gradient (same shape), set by autograd's `backward`. */
  grad: Tensor | null = null;
  /** Autograd's record of the op that produced this tensor; opaque to @fbt/tensor. */
  gradNode: unknown = null;
  /** Optional name, used in error messages and by selectors. */
  name: string | undefined;
  private disposed = false;
  /**
   * @internal The engine's finalizer state: 0 none (cpu storage, or not yet handed out), 1 tracked
   * by a `tidy` scope (registered only if it escapes the scope), 2 registered.
   */
  finalizerState: 0 | 1 | 2 = 0;

  /** @internal Use the creation functions (`tensor`, `zeros`, …) instead. */
  constructor(dataId: DataId, shape: Shape, dtype: DType, backend: Backend) {
    this.id = nextTensorId++;
    this.dataId = dataId;
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
    this.size = sizeOf(shape);
    this.backend = backend;
  }

  /** Number of dimensions. */
  get rank(): number {
    return this.shape.length;
  }

  /** True after `dispose()`. */
  get isDisposed(): boolean {
    return this.disposed;
  }

  /**
   * The elements, synchronously. On the CPU backend this is the backing array, not a copy:
   * treat it as read-only (use `clone()` for a private copy).
   */
  dataSync(): TypedArray {
    this.assertLive('dataSync');
    return this.backend.readSync(this.dataId);
  }

  /** The elements, asynchronously (the natural read for GPU backends). */
  data(): Promise<TypedArray> {
    this.assertLive('data');
    return this.backend.read(this.dataId);
  }

  /** The value of a one-element tensor as a JS number. */
  item(): number {
    this.assertLive('item');
    if (this.size !== 1) {
      throw new ShapeError(
        `item: tensor of shape ${formatShape(this.shape)} has ${this.size} elements; expected exactly 1`,
      );
    }
    return this.dataSync()[0]!;
  }

  /** The elements as nested JS arrays (a number for a scalar). */
  toArray(): NestedArray {
    const values = this.dataSync();
    const build = (dim: number, offset: number): NestedArray => {
      if (dim === this.shape.length) return values[offset]!;
      const n = this.shape[dim]!;
      const inner = sizeOf(this.shape.slice(dim + 1));
      const out: NestedArray[] = new Array<NestedArray>(n);
      for (let i = 0; i < n; i++) out[i] = build(dim + 1, offset + i * inner);
      return out;
    };
    return build(0, 0);
  }

  /** Frees the storage. Safe to call twice. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    engine().releaseTensor(this);
  }

  /** Throws a `DisposedError` naming `op` if this tensor was disposed. */
  assertLive(op: string): void {
    if (this.disposed) {
      throw new DisposedError(
        `${op}: tensor #${this.id}${this.name ? ` '${this.name}'` : ''} of shape ${formatShape(this.shape)} was disposed`,
      );
    }
  }

  /** A short description: dtype, shape and name. */
  toString(): string {
    return `Tensor(${this.dtype}, ${formatShape(this.shape)}${this.name ? `, '${this.name}'` : ''})`;
  }
}
