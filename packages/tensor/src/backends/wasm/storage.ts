import type { DataId, TensorInfo } from '../../backend/interface';
import type { DType, TypedArray } from '../../dtype';
import { BackendError, DisposedError } from '../../errors';
import type { WasmExports } from './instance';

/** Storage of the wasm backend: a block of the module's linear memory (`ptr` 0 for no elements). */
export class WasmData {
  constructor(
    public ptr: number,
    readonly size: number,
    readonly dtype: DType,
  ) {}
  /** True once `disposeData` freed the block. */
  freed = false;
}

/**
 * What the wasm backend can hold: 4 GiB of linear memory (32-bit addresses) in all, and at most
 * 1 GiB (2^28 float32 elements) in one tensor, the allocator's largest block.
 */
export const WASM_MEMORY_LIMITS = { memoryBytes: 2 ** 32, tensorBytes: 2 ** 30 } as const;

/**
 * The wasm backend's memory: blocks of the module's linear memory from its allocator (TLSF free
 * lists, so steady-state training reuses blocks instead of growing memory), typed-array views over
 * it, recreated whenever the memory has grown, and grow-only named work blocks.
 */
export class WasmStorage {
  private live = 0;
  private buffer: ArrayBuffer | null = null;
  private f32: Float32Array = new Float32Array(0);
  private i32: Int32Array = new Int32Array(0);
  private f64: Float64Array = new Float64Array(0);
  private readonly scratch = new Map<string, { ptr: number; bytes: number }>();

  /** @param exports the module's exports (throws while the module is still compiling). */
  constructor(private readonly exports: () => WasmExports) {}

  private refreshViews(): void {
    const buffer = this.exports().memory.buffer;
    if (buffer !== this.buffer) {
      this.buffer = buffer;
      this.f32 = new Float32Array(buffer);
      this.i32 = new Int32Array(buffer);
      this.f64 = new Float64Array(buffer);
    }
  }

  /** A new uninitialised block of `size` elements of `dtype`. */
  allocate(size: number, dtype: DType): WasmData {
    const ptr = size === 0 ? 0 : this.alloc(size * 4);
    this.live++;
    return new WasmData(ptr, size, dtype);
  }

  /** The storage behind a kernel input; throws a `DisposedError` for freed storage. */
  data(info: TensorInfo | DataId): WasmData {
    const data = ('dataId' in info ? info.dataId : info) as WasmData;
    if (data.freed) throw new DisposedError('wasm backend: use of disposed storage');
    return data;
  }

  /** A typed-array view of a block (valid until the next allocation). Writes through it change the tensor. */
  view(data: WasmData): TypedArray {
    this.refreshViews();
    const start = data.ptr >>> 2;
    return data.dtype === 'int32'
      ? this.i32.subarray(start, start + data.size)
      : this.f32.subarray(start, start + data.size);
  }

  /** A float64 view of `count` elements at byte address `ptr` (valid until the next allocation). */
  float64(ptr: number, count: number): Float64Array {
    this.refreshViews();
    return this.f64.subarray(ptr >>> 3, (ptr >>> 3) + count);
  }

  /** An int32 view of the whole memory (valid until the next allocation). */
  int32(): Int32Array {
    this.refreshViews();
    return this.i32;
  }

  /**
   * A block of `bytes` bytes; throws a `BackendError` when the allocator cannot provide it (linear
   * memory cannot grow past 4 GiB any more), or, before calling it, for a block of 1 GiB or more
   * (`WASM_MEMORY_LIMITS`).
   */
  alloc(bytes: number): number {
    if (bytes >= WASM_MEMORY_LIMITS.tensorBytes) {
      // Refused here: the module's 32-bit size would wrap (2^32 bytes would be read as 0).
      throw new BackendError(
        `wasm backend: a tensor of ${bytes} bytes (${(bytes / 2 ** 30).toFixed(2)} GiB) does not fit: wasm memory holds at most 4 GiB, ` +
          `and one tensor less than 1 GiB (${WASM_MEMORY_LIMITS.tensorBytes / 4} float32 elements); use the cpu backend for tensors this large`,
      );
    }
    const kernels = this.exports();
    try {
      // wasm returns an i32: addresses past 2 GiB come back negative, so read it as unsigned
      return kernels.alloc(bytes) >>> 0;
    } catch {
      throw new BackendError(
        `wasm backend: out of memory allocating ${bytes} bytes (${this.memoryBytes()} bytes of linear memory, ` +
          `${this.live} live tensors); expected disposed tensors: use tidy() or dispose() in loops`,
      );
    }
  }

  /** A grow-only work block named `name` of at least `bytes` bytes (8-byte aligned). */
  scratchBlock(name: string, bytes: number): number {
    const block = this.scratch.get(name);
    if (block !== undefined && block.bytes >= bytes) return block.ptr;
    if (block !== undefined) this.exports().free(block.ptr);
    const ptr = this.alloc(Math.max(bytes, 16));
    this.scratch.set(name, { ptr, bytes });
    return ptr;
  }

  /** Returns a tensor's block to the allocator; disposing twice does nothing. */
  dispose(dataId: DataId): void {
    const data = dataId as WasmData;
    if (data.freed) return;
    data.freed = true;
    if (data.ptr !== 0) this.exports().free(data.ptr);
    this.live--;
  }

  /** Tensors allocated and not yet disposed. */
  liveCount(): number {
    return this.live;
  }

  /** Bytes of linear memory the module holds (grows, never shrinks). */
  memoryBytes(): number {
    return this.exports().memory.buffer.byteLength;
  }
}
