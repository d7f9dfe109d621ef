/**
 * A reusable typed work buffer that grows on demand and is never shrunk, so kernels called in a
 * loop (GEMM packing, im2col columns) allocate only while the largest size seen so far grows.
 * Kernels run synchronously on one thread, so one buffer per purpose is enough.
 */
export class ScratchBuffer<T extends Float32Array | Float64Array> {
  private buffer: T;

  /** @param create allocates a zero-filled array of the given length. */
  constructor(private readonly create: (size: number) => T) {
    this.buffer = create(0);
  }

  /** A buffer with at least `size` elements; its contents are unspecified. */
  get(size: number): T {
    if (this.buffer.length < size) this.buffer = this.create(size);
    return this.buffer;
  }
}
