// Heap blocks for tensors (TLSF: O(1) alloc/free over segregated free lists, coalescing) and
// grow-only scratch buffers for the kernels' packed panels and column matrices.

/** Allocates `bytes` bytes, 16-byte aligned; the JS side owns the block until `free`. */
export function alloc(bytes: usize): usize {
  return heap.alloc(bytes);
}

/** Frees a block returned by `alloc`. */
export function free(ptr: usize): void {
  heap.free(ptr);
}

/** A reusable work buffer that only grows, so steady-state kernels allocate nothing. */
export class Scratch {
  ptr: usize = 0;
  capacity: usize = 0;

  /** A buffer of at least `bytes` bytes; its contents are unspecified. */
  get(bytes: usize): usize {
    if (bytes > this.capacity) {
      if (this.ptr != 0) heap.free(this.ptr);
      this.ptr = heap.alloc(bytes);
      this.capacity = bytes;
    }
    return this.ptr;
  }
}
