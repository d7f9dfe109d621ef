import type { DType, TypedArray } from '../dtype';
import type { Shape } from '../shape';

/** Opaque handle to storage owned by a backend (a typed array, a GPU texture, a WASM pointer). */
export type DataId = object;

/** What a kernel sees of a tensor: its storage handle, shape and dtype. */
export interface TensorInfo {
  readonly dataId: DataId;
  readonly shape: Shape;
  readonly dtype: DType;
}

/**
 * A compute backend. It owns tensor storage; its kernels come with its `BackendDefinition` and are
 * looked up by name in the kernel registry, so ops never branch on the backend type.
 *
 * A backend may keep data off the JS heap: `readSync`/`read` bring it back, `disposeData` frees it.
 */
export interface Backend {
  /** Registry name, e.g. `cpu`, `wasm`, `gpu`. */
  readonly name: string;
  /**
   * True when the garbage collector frees this backend's storage by itself (typed arrays on the JS
   * heap); otherwise (wasm memory, GPU textures) the engine frees a tensor's storage when the tensor
   * is collected without `dispose`.
   */
  readonly collectsStorage?: boolean;
  /** Takes ownership of `values` (the caller must not mutate them afterwards) and returns a handle. */
  write(values: TypedArray, shape: Shape, dtype: DType): DataId;
  /** Returns the values of a handle. On the CPU backend this is the backing array itself: do not mutate it. */
  readSync(dataId: DataId): TypedArray;
  /** Asynchronous read, for backends whose read-back is asynchronous. */
  read(dataId: DataId): Promise<TypedArray>;
  /** Frees the storage of a handle; later reads throw. */
  disposeData(dataId: DataId): void;
  /** Number of live storage handles, for leak checks. */
  numDataIds(): number;
  /** Resolves once the backend can run kernels (asynchronous module compilation, device start). */
  ready(): Promise<void>;
  /** How many CPU threads its kernels use, and why; a backend without it runs on the calling thread. */
  threadInfo?(): ThreadInfo;
}

/** How many CPU threads a backend's kernels use, and why. */
export interface ThreadInfo {
  /** Threads the kernels use now (the calling thread included). */
  readonly threads: number;
  /** Why that many: the setting it follows, or why threads are unavailable here. */
  readonly reason: string;
}

/** Attributes of a kernel call: plain, serialisable values. */
export type KernelAttrs = Readonly<Record<string, unknown>>;

/** A kernel: reads its inputs' storage through its backend and returns newly written outputs. */
export type KernelFunc<A extends object = KernelAttrs> = (
  inputs: readonly TensorInfo[],
  attrs: A,
  backend: Backend,
) => TensorInfo | TensorInfo[];

/**
 * A kernel as every backend declares it: its contract name and its function. It is bound to a
 * backend name when its backend is registered (`registerBackend`), so one declaration serves every
 * name the backend is registered under. Kernels written for one backend class declare themselves
 * with `defineBackendKernel`; the cpu kernels, which work on any backend's storage, are plain records.
 */
export interface KernelDef<A extends object = never> {
  /** The kernel's name in the contract (docs/internals/kernels.md), e.g. `add`, `matMul`. */
  readonly kernelName: string;
  /** The kernel; the engine calls it with the backend it is registered under. */
  readonly kernelFunc: KernelFunc<A>;
}
