import type { Backend, DataId, TensorInfo, ThreadInfo } from '../../backend/interface';
import type { DType, TypedArray } from '../../dtype';
import type { WindowGeometry } from '../../geometry/window';
import { sizeOf, type Shape } from '../../shape';
import { bestWasmModuleVariant, type WasmExports, type WasmModuleVariant } from './instance';
import { KernelModule, stillCompiling } from './kernel-module';
import type { KernelArgs, KernelTask, ParallelTask, WorkspaceBytes } from './kernel-records';
import { ParamBlock } from './params';
import { WasmStorage, type WasmData } from './storage';
import { ThreadDispatch, type Formula } from './threads/dispatch';
import { threadSetting } from './threads/settings';
import { threadSupport } from './threads/support';

/**
 * The WebAssembly backend. Tensors live in the module's linear memory: `write` copies values in,
 * `readSync` copies them out, `disposeData` returns the block to the module's allocator (TLSF free
 * lists, so steady-state training reuses blocks instead of growing memory). Forgotten tensors are
 * freed by the engine's FinalizationRegistry. Kernels call the AssemblyScript exports with
 * pointers; views over the memory are recreated whenever the memory has grown. Three parts do the
 * work: the module's lifecycle (`KernelModule`), its memory (`WasmStorage`, `ParamBlock`) and the
 * thread dispatch (`ThreadDispatch`).
 */
export class WasmBackend implements Backend {
  readonly name: string;
  private readonly module: KernelModule;
  private readonly storage: WasmStorage;
  private readonly dispatch: ThreadDispatch;
  private params: ParamBlock | null = null;

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
    const threading = threadSupport();
    this.module = new KernelModule(moduleVariant, compile, threading.available);
    this.storage = new WasmStorage(() => this.module.exports);
    this.module.whenStarted(() => {
      this.params = new ParamBlock(this.storage);
    });
    this.dispatch = new ThreadDispatch(threading, this.module, this.storage);
  }

  /**
   * Resolves once the kernel module is instantiated and, where threads start asynchronously (a Web
   * Worker of a cross-origin isolated page), once the kernel threads have started.
   */
  async ready(): Promise<void> {
    await this.module.ready();
    await this.dispatch.ready();
  }

  /** How many threads the kernels use now, and why (the setting, or why threads are unavailable). */
  threadInfo(): ThreadInfo {
    return this.dispatch.threadInfo();
  }

  /** Per task, the least work shared out over the threads (default `PARALLEL_MIN_WORK`; 0 shares everything). */
  get minParallelWork(): Record<ParallelTask, number> {
    return this.dispatch.minParallelWork;
  }

  set minParallelWork(cutoffs: Record<ParallelTask, number>) {
    this.dispatch.minParallelWork = cutoffs;
  }

  /**
   * The maximum pages a module importing this backend's memory declares: the threaded module's
   * (its shared memory may have fewer), or undefined on an unshared memory.
   */
  sharedMemoryPages(): number | undefined {
    return this.module.sharedMemoryPages();
  }

  /** Ends the kernel threads (they start again on the next large kernel, unless `setThreads(1)`). */
  closeThreads(): void {
    this.dispatch.closeThreads();
  }

  /**
   * Runs `formula` with `args` (out, in₀ …, n, params), shared out over the pool by ranges of
   * element pairs when n reaches the cutoff; the pool's threads compile it on first use.
   */
  runFormula(formula: Formula, args: readonly number[]): void {
    this.dispatch.runFormula(formula, args);
  }

  /**
   * Runs the module's kernel `task` with `args` (typed by its record in `PARALLEL_KERNELS`), shared
   * out over the pool when `work` reaches the task's cutoff, else on the calling thread. A kernel
   * with a work space takes `workBytes`, the bytes one thread needs (passed as `ws, wsBytes` after
   * `args`). Results do not depend on the thread count.
   */
  parallel<T extends KernelTask>(
    task: T,
    work: number,
    args: Readonly<KernelArgs<T>>,
    ...workBytes: WorkspaceBytes<T>
  ): void {
    this.dispatch.parallel(task, work, args, ...workBytes);
  }

  /** The module's exports; throws a `BackendError` before `ready()` resolved where compilation is asynchronous. */
  get exports(): WasmExports {
    return this.module.exports;
  }

  /** A new uninitialised block of `size` elements of `dtype`. */
  allocate(size: number, dtype: DType): WasmData {
    return this.storage.allocate(size, dtype);
  }

  /** A new output tensor of `shape` and `dtype` (uninitialised) and its storage. */
  output(shape: Shape, dtype: DType = 'float32'): TensorInfo & { dataId: WasmData } {
    return { dataId: this.allocate(sizeOf(shape), dtype), shape: [...shape], dtype };
  }

  /** The storage behind a kernel input; throws a `DisposedError` for freed storage. */
  data(info: TensorInfo | DataId): WasmData {
    return this.storage.data(info);
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
    return this.storage.view(data);
  }

  /** A float64 view of `count` elements at byte address `ptr` (valid until the next allocation). */
  float64(ptr: number, count: number): Float64Array {
    return this.storage.float64(ptr, count);
  }

  /** A grow-only work block named `name` of at least `bytes` bytes (8-byte aligned). */
  scratchBlock(name: string, bytes: number): number {
    return this.storage.scratchBlock(name, bytes);
  }

  /** The parameter block; throws a `BackendError` while the module compiles. */
  private paramBlock(): ParamBlock {
    if (this.params === null) throw stillCompiling();
    return this.params;
  }

  /**
   * Writes the strided iteration plan of `shape` for operands addressed by `strides` (one list per
   * operand, at most four) into the parameter block and returns its address.
   */
  plan(shape: Shape, strides: readonly (readonly number[])[]): number {
    return this.paramBlock().plan(shape, strides);
  }

  /** The rank of the plan at `plan` (after merging dimensions: 1 for a single contiguous row). */
  planRank(plan: number): number {
    return this.paramBlock().planRank(plan);
  }

  /** Writes a window geometry (plus `outChannels` and `allTaps`, see `ParamBlock.geometry`) into the parameter block and returns its address. */
  geometry(g: WindowGeometry, outChannels = 0, allTaps = false): number {
    return this.paramBlock().geometry(g, outChannels, allTaps);
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
    this.storage.dispose(dataId);
  }

  numDataIds(): number {
    return this.storage.liveCount();
  }

  /** Bytes of linear memory the module holds (grows, never shrinks). */
  memoryBytes(): number {
    return this.storage.memoryBytes();
  }
}
