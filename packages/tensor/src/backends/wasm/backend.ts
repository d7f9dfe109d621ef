import type { Backend, DataId, TensorInfo } from '../../backend/interface';
import type { DType, TypedArray } from '../../dtype';
import { BackendError, DisposedError } from '../../errors';
import { sizeOf, type Shape } from '../../shape';
import { planStrided } from '../cpu/iterate';
import type { WindowGeometry } from '../../geometry/window';
import {
  bestWasmModuleVariant,
  instantiateAsync,
  instantiateSync,
  type WasmExports,
  type WasmModuleVariant,
} from './instance';

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

/** Bytes of the parameter block: one strided plan (rank ≤ 32, ≤ 4 operands) and one window geometry. */
const PLAN_BYTES = 4 * (1 + 32 * 5);
const GEOMETRY_BYTES = 4 * 16;

/**
 * The WebAssembly backend. Tensors live in the module's linear memory: `write` copies values in,
 * `readSync` copies them out, `disposeData` returns the block to the module's allocator (TLSF free
 * lists, so steady-state training reuses blocks instead of growing memory). Forgotten tensors are
 * freed by the engine's FinalizationRegistry. Kernels call the AssemblyScript exports with
 * pointers; views over the memory are recreated whenever the memory has grown.
 */
export class WasmBackend implements Backend {
  readonly name: string;
  private kernels: WasmExports | null;
  private pending: Promise<void> | null = null;
  private live = 0;
  private buffer: ArrayBuffer | null = null;
  private f32: Float32Array = new Float32Array(0);
  private i32: Int32Array = new Int32Array(0);
  private f64: Float64Array = new Float64Array(0);
  private paramBlock = 0;
  private readonly scratch = new Map<string, { ptr: number; bytes: number }>();

  /** The kernel module variant this backend runs: `relaxedSimd` (fused multiply-adds) or `simd`. */
  readonly moduleVariant: WasmModuleVariant;

  /**
   * @param name the registry name.
   * @param compile `sync` (default) instantiates the module at once where the engine allows it
   *   (Node; browsers refuse it on the main thread, and then `ready()` compiles asynchronously);
   *   `async` always leaves compilation to `ready()`.
   * @param moduleVariant the kernel module to load; default the best the engine supports
   *   (`relaxedSimd` where it validates, `simd` otherwise).
   */
  constructor(
    name = 'wasm',
    compile: 'sync' | 'async' = 'sync',
    moduleVariant: WasmModuleVariant = bestWasmModuleVariant(),
  ) {
    this.name = name;
    this.moduleVariant = moduleVariant;
    this.kernels = compile === 'sync' ? instantiateSync(moduleVariant) : null;
    if (this.kernels !== null) this.setUp();
  }

  ready(): Promise<void> {
    if (this.kernels !== null) return Promise.resolve();
    this.pending ??= instantiateAsync(this.moduleVariant).then((kernels) => {
      this.kernels = kernels;
      this.setUp();
    });
    return this.pending;
  }

  private setUp(): void {
    this.paramBlock = this.alloc(PLAN_BYTES + GEOMETRY_BYTES);
  }

  /** The module's exports; throws a `BackendError` before `ready()` resolved where compilation is asynchronous. */
  get exports(): WasmExports {
    if (this.kernels === null) {
      throw new BackendError(
        'wasm backend: the kernel module is still compiling; await ready() before running ops',
      );
    }
    return this.kernels;
  }

  private refreshViews(): void {
    const buffer = this.exports.memory.buffer;
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

  /** A new output tensor of `shape` and `dtype` (uninitialised) and its storage. */
  output(shape: Shape, dtype: DType = 'float32'): TensorInfo & { dataId: WasmData } {
    return { dataId: this.allocate(sizeOf(shape), dtype), shape: [...shape], dtype };
  }

  /** The storage behind a kernel input; throws a `DisposedError` for freed storage. */
  data(info: TensorInfo | DataId): WasmData {
    const data = ('dataId' in info ? info.dataId : info) as WasmData;
    if (data.freed) throw new DisposedError('wasm backend: use of disposed storage');
    return data;
  }

  /** The byte address of a kernel input's elements. */
  ptr(info: TensorInfo): number {
    return this.data(info).ptr;
  }

  /**
   * A typed-array view of a block (valid until the next allocation, which may grow the memory).
   * Writes through it change the tensor.
   */
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

  /**
   * A block of `bytes` bytes; throws a `BackendError` when the allocator cannot provide it (linear
   * memory cannot grow any more, or a block above the allocator's 1 GiB maximum).
   */
  private alloc(bytes: number): number {
    const kernels = this.exports;
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
    if (block !== undefined) this.exports.free(block.ptr);
    const ptr = this.alloc(Math.max(bytes, 16));
    this.scratch.set(name, { ptr, bytes });
    return ptr;
  }

  /**
   * Writes the strided iteration plan of `shape` for operands addressed by `strides` (one list per
   * operand, at most four) into the parameter block and returns its address.
   */
  plan(shape: Shape, strides: readonly (readonly number[])[]): number {
    const plan = planStrided(shape, strides);
    this.refreshViews();
    const rank = plan.dims.length;
    const base = this.paramBlock >>> 2;
    this.i32[base] = rank;
    this.i32.set(plan.dims, base + 1);
    plan.strides.forEach((s, k) => this.i32.set(s, base + 1 + rank * (k + 1)));
    return this.paramBlock;
  }

  /** Writes a window geometry (plus `outChannels`) into the parameter block and returns its address. */
  geometry(g: WindowGeometry, outChannels = 0): number {
    this.refreshViews();
    const at = this.paramBlock + PLAN_BYTES;
    this.i32.set(
      [g.n, g.c, g.h, g.w, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, g.dh, g.dw, g.oh, g.ow, outChannels],
      at >>> 2,
    );
    return at;
  }

  write(values: TypedArray, shape: Shape, dtype: DType): DataId {
    const data = this.allocate(values.length, dtype);
    if (values.length > 0) this.view(data).set(values);
    return data;
  }

  readSync(dataId: DataId): TypedArray {
    return this.view(this.data(dataId)).slice();
  }

  read(dataId: DataId): Promise<TypedArray> {
    return Promise.resolve(this.readSync(dataId));
  }

  disposeData(dataId: DataId): void {
    const data = dataId as WasmData;
    if (data.freed) return;
    data.freed = true;
    if (data.ptr !== 0) this.exports.free(data.ptr);
    this.live--;
  }

  numDataIds(): number {
    return this.live;
  }

  /** Bytes of linear memory the module holds (grows, never shrinks). */
  memoryBytes(): number {
    return this.exports.memory.buffer.byteLength;
  }
}
