import type { Backend, DataId, TensorInfo, ThreadInfo } from '../../backend/interface';
import type { DType, TypedArray } from '../../dtype';
import { BackendError, DisposedError } from '../../errors';
import { sizeOf, type Shape } from '../../shape';
import { planStrided } from '../cpu/iterate';
import type { WindowGeometry } from '../../geometry/window';
import {
  bestWasmModuleVariant,
  instantiateAsync,
  instantiateSync,
  type KernelInstance,
  type WasmExports,
  type WasmModuleVariant,
} from './instance';
import { SHARED_MAXIMUM_PAGES } from './module.generated';
import { ThreadPool, type KernelTask, type ParallelTask } from './threads/pool';
import { formulaShare } from './threads/serve';
import { threadSetting } from './threads/settings';
import { threadSupport, type ThreadSupport } from './threads/support';

/**
 * Least work (multiply-adds for GEMM and convolutions, elements for the others) for which a
 * kernel is shared out over the pool by default; below it, waking the threads costs more than it
 * saves. From `node packages/tensor/scripts/thread-cutoffs.mjs`, which times each kernel on 1 and
 * 2 threads over growing sizes, on the 2-core development machine: about the smallest size from
 * which 2 threads were faster (the reduction it times, 64 sums along rows, gained only at 4M
 * elements).
 */
export const PARALLEL_MIN_WORK: Readonly<Record<ParallelTask, number>> = {
  gemm: 1 << 17,
  conv: 1 << 19,
  maxPool: 1 << 14,
  maxPoolBackward: 1 << 14,
  avgPool: 1 << 14,
  avgPoolBackward: 1 << 14,
  unary: 1 << 20,
  binary: 1 << 14,
  axpy: 1 << 18,
  reduce: 1 << 22,
  peak: 0,
  compileFormula: 0,
  mapFormula: 1 << 13,
  packSigns: 1 << 20,
  binaryGemm: 1 << 20,
};

/**
 * A `mapExpr` formula compiled for this backend: `run(out, in₀ … inₖ₋₁, n, params)` over byte
 * addresses of its memory, the module's bytes (for the pool's threads) and its slot number.
 */
export interface Formula {
  readonly slot: number;
  readonly bytes: Uint8Array;
  readonly run: (...args: number[]) => void;
}

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
  private kernels: WasmExports | null = null;
  private instance: KernelInstance | null;
  private pending: Promise<void> | null = null;
  private readonly threading: ThreadSupport;
  private pool: ThreadPool | null = null;
  private poolStart: Promise<void> | null = null;
  private poolFailure: string | null = null;

  /** Per task, the least work shared out over the threads (default `PARALLEL_MIN_WORK`; 0 shares everything). */
  minParallelWork: Record<ParallelTask, number> = { ...PARALLEL_MIN_WORK };
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
    threadSetting(); // refuses a bad FBT_THREADS before the first op
    this.threading = threadSupport();
    this.instance = compile === 'sync' ? instantiateSync(moduleVariant, this.threading.available) : null;
    if (this.instance !== null) this.setUp(this.instance);
  }

  /**
   * Resolves once the kernel module is instantiated and, where threads start asynchronously (a Web
   * Worker of a cross-origin isolated page), once the kernel threads have started.
   */
  async ready(): Promise<void> {
    if (this.instance === null) {
      this.pending ??= instantiateAsync(this.moduleVariant, this.threading.available).then((instance) => {
        this.instance = instance;
        this.setUp(instance);
      });
      await this.pending;
    }
    this.usableThreads();
    await this.poolStart;
  }

  private setUp(instance: KernelInstance): void {
    this.kernels = instance.exports;
    this.paramBlock = this.alloc(PLAN_BYTES + GEOMETRY_BYTES);
  }

  /** How many threads the kernels use now, and why (the setting, or why threads are unavailable). */
  threadInfo(): ThreadInfo {
    if (!this.threading.available) return { threads: 1, reason: this.threading.reason };
    if (this.poolFailure !== null) return { threads: 1, reason: this.poolFailure };
    const setting = threadSetting();
    if (this.pool === null && this.poolStart !== null && setting.threads > 1) {
      return {
        threads: 1,
        reason: `${setting.reason}; the kernel threads are still starting (await ready())`,
      };
    }
    return setting;
  }

  /**
   * Threads a large kernel runs on: the setting, growing the pool to it first when it is smaller (at
   * once on Node; in browsers asynchronously, with the threads there are meanwhile). A smaller
   * setting uses part of the pool and leaves the rest waiting, so switching costs nothing.
   */
  private usableThreads(): number {
    if (!this.threading.available || this.poolFailure !== null) return 1;
    const want = threadSetting().threads;
    if (want === 1) return 1;
    if ((this.pool?.size ?? 1) < want && this.poolStart === null) this.startPool(want, this.threading);
    return Math.min(want, this.pool?.size ?? 1);
  }

  private startPool(size: number, support: Extract<ThreadSupport, { available: true }>): void {
    const { module, sharedMemory } = this.instance!;
    const failed = (error: unknown): void => {
      this.poolFailure = `kernel threads failed to start: ${error instanceof Error ? error.message : String(error)}`;
    };
    this.pool?.close();
    this.pool = null;
    if (support.blocking) {
      try {
        this.pool = ThreadPool.startSync(module, sharedMemory!, size, support.spawn);
      } catch (error) {
        failed(error);
      }
      return;
    }
    this.poolStart = ThreadPool.start(module, sharedMemory!, size, support.spawn)
      .then((pool) => {
        this.pool = pool;
      }, failed)
      .finally(() => {
        this.poolStart = null;
      });
  }

  /**
   * The maximum pages a module importing this backend's memory declares: the threaded module's
   * (its shared memory may have fewer), or undefined on an unshared memory.
   */
  sharedMemoryPages(): number | undefined {
    return (this.instance?.sharedMemory ?? null) === null ? undefined : SHARED_MAXIMUM_PAGES;
  }

  /** Ends the kernel threads (they start again on the next large kernel, unless `setThreads(1)`). */
  closeThreads(): void {
    this.pool?.close();
    this.pool = null;
  }

  /**
   * Runs `formula` with `args` (out, in₀ …, n, params), shared out over the pool by ranges of
   * element pairs when n reaches the cutoff; the pool's threads compile it on first use.
   */
  runFormula(formula: Formula, args: readonly number[]): void {
    const n = args[args.length - 2]!;
    const threads = n >= this.minParallelWork.mapFormula ? this.usableThreads() : 1;
    if (threads === 1) {
      formula.run(...args);
      return;
    }
    const pool = this.pool!;
    if (!pool.formulas.has(formula.slot)) {
      const at = this.scratchBlock('threads.formula', formula.bytes.length);
      new Uint8Array(this.exports.memory.buffer, at, formula.bytes.length).set(formula.bytes);
      pool.run(() => undefined, 'compileFormula', [formula.slot, at, formula.bytes.length], pool.size);
      pool.formulas.add(formula.slot);
    }
    const share = (...values: number[]): void =>
      formulaShare(formula.run, values.slice(1, -2), values.at(-2)!, values.at(-1)!);
    pool.run(share, 'mapFormula', [formula.slot, ...args], threads);
  }

  /**
   * Runs the module's kernel `task` with `args`, shared out over the pool when `work` reaches the
   * task's cutoff, else on the calling thread. `workBytes` > 0 gives each thread that many bytes of
   * work space (passed as `ws, wsBytes` after `args`). Results do not depend on the thread count.
   */
  parallel(task: KernelTask, work: number, args: readonly number[], workBytes = 0): void {
    const threads = work >= this.minParallelWork[task] ? this.usableThreads() : 1;
    const all =
      workBytes > 0 ? [...args, this.scratchBlock('threads.work', workBytes * threads), workBytes] : args;
    const kernel = this.exports[task] as (...values: number[]) => void;
    if (threads === 1) kernel(...all, 0, 1);
    else this.pool!.run(kernel, task, all, threads);
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
   * memory cannot grow past 4 GiB any more), or, before calling it, for a block of 1 GiB or more
   * (`WASM_MEMORY_LIMITS`).
   */
  private alloc(bytes: number): number {
    if (bytes >= WASM_MEMORY_LIMITS.tensorBytes) {
      // Refused here: the module's 32-bit size would wrap (2^32 bytes would be read as 0).
      throw new BackendError(
        `wasm backend: a tensor of ${bytes} bytes (${(bytes / 2 ** 30).toFixed(2)} GiB) does not fit: wasm memory holds at most 4 GiB, ` +
          `and one tensor less than 1 GiB (${WASM_MEMORY_LIMITS.tensorBytes / 4} float32 elements); use the cpu backend for tensors this large`,
      );
    }
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

  /** The rank of the plan at `plan` (after merging dimensions: 1 for a single contiguous row). */
  planRank(plan: number): number {
    this.refreshViews();
    return this.i32[plan >>> 2]!;
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
