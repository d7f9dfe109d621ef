import { BackendError } from '../../errors';
import type { ParallelKernelExports } from './kernel-records';
import { withUnsharedMemoryImport } from './memory-import';
import { SHARED_MAXIMUM_PAGES, WASM_RELAXED_SIMD_BASE64, WASM_SIMD_BASE64 } from './module.generated';
import { createSharedMemory } from './threads/support';
import { nodeProcess } from './threads/spawn';

/** A `WebAssembly.Global` exported as an operation code. */
interface Code {
  readonly value: number;
}

/**
 * The exports of the kernel module (see `packages/tensor/assembly/index.ts`). Pointers are byte
 * offsets into `memory`; strides and sizes are in elements. The kernels the thread pool runs and
 * their work-space sizes derive from their records (`PARALLEL_KERNELS`); the others are typed here.
 */
export type WasmExports = ParallelKernelExports & {
  readonly memory: WebAssembly.Memory;
  alloc(bytes: number): number;
  free(ptr: number): void;
  /** First unit of `thread`'s share when `total` units are split over `threads` contiguous ranges. */
  shareStart(total: number, thread: number, threads: number): number;
  stridedCopy(plan: number, dst: number, src: number): void;
  scale(target: number, n: number, factor: number): void;
  softmax(x: number, out: number, outer: number, n: number, inner: number, log: boolean): void;
  im2col(x: number, geometry: number, cols: number): void;
  /** 1 when none of the `n` float32 at `x` is ±Inf or NaN, else 0. */
  allFinite(x: number, n: number): number;
  col2im(cols: number, geometry: number, x: number): void;
  exp(x: number): number;
  log(x: number): number;
  tanh(x: number): number;
  pow(x: number, y: number): number;
  unpackSigns(bits: number, out: number, rows: number, k: number): void;
  /** Row-column pairs of the binary GEMM's micro-tile (what one `binaryPeak` step counts per u64 word). */
  binaryTilePairs(): number;
  readonly [code: string]: unknown;
};

/** Reads the operation code exported under `name` (a wasm global). */
export function opCode(exports: WasmExports, name: string): number {
  const code = exports[name] as Code | undefined;
  if (code === undefined || typeof code.value !== 'number') {
    throw new BackendError(`wasm backend: the kernel module exports no operation code '${name}'`);
  }
  return code.value;
}

/**
 * The variants of the kernel module: `simd` (WebAssembly SIMD) and `relaxedSimd` (adds relaxed SIMD,
 * so the GEMM micro-kernel uses fused multiply-adds where the CPU has them).
 */
export type WasmModuleVariant = 'simd' | 'relaxedSimd';

/** The base64 of each variant (built to import a shared memory, see `moduleBytes`). */
const BASE64: Readonly<Record<WasmModuleVariant, string>> = {
  simd: WASM_SIMD_BASE64,
  relaxedSimd: WASM_RELAXED_SIMD_BASE64,
};

/**
 * The module of `variant`: as built, importing a shared memory (for the thread pool), or with the
 * import declared unshared where shared memory is unavailable (`shared` false).
 */
function moduleBytes(variant: WasmModuleVariant, shared = false): Uint8Array<ArrayBuffer> {
  const text = atob(BASE64[variant]);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return shared ? bytes : withUnsharedMemoryImport(bytes);
}

function abort(_message: number, _file: number, line: number, column: number): never {
  throw new BackendError(`wasm backend: kernel aborted at assembly line ${line}:${column}`);
}

/** Initial pages of the kernel module's memory (1 MiB). */
const INITIAL_PAGES = 16;

/** A new memory for the kernel module: shared (the thread pool's) or not, up to 4 GiB. */
function createMemory(shared: boolean): WebAssembly.Memory {
  return shared
    ? createSharedMemory(INITIAL_PAGES)
    : new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: SHARED_MAXIMUM_PAGES });
}

/** An instantiated kernel module. */
export interface KernelInstance {
  /** The module's exports. */
  readonly exports: WasmExports;
  /** The compiled module (the thread pool instantiates it again in each thread). */
  readonly module: WebAssembly.Module;
  /** The shared memory the module was instantiated on (the thread pool's), or null for an unshared one. */
  readonly sharedMemory: WebAssembly.Memory | null;
}

/**
 * Runs the start function the module exports instead of running it at instantiation (pool threads
 * instantiate it too, and only this thread may allocate its statics).
 */
function started(
  module: WebAssembly.Module,
  instance: WebAssembly.Instance,
  shared: boolean,
): KernelInstance {
  const exports = instance.exports as unknown as WasmExports;
  (exports['_start'] as () => void)();
  return { exports, module, sharedMemory: shared ? exports.memory : null };
}

/** True where the engine supports WebAssembly with SIMD (validated on a tiny module using v128). */
export function wasmSimdSupported(): boolean {
  if (typeof WebAssembly !== 'object') return false;
  // (module (func (result v128) (v128.const i32x4 0 0 0 0)))
  const probe = Uint8Array.of(
    0,
    97,
    115,
    109,
    1,
    0,
    0,
    0,
    1,
    5,
    1,
    96,
    0,
    1,
    123,
    3,
    2,
    1,
    0,
    10,
    22,
    1,
    20,
    0,
    253,
    12,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    11,
  );
  return WebAssembly.validate(probe);
}

/**
 * True where the engine validates the relaxed-SIMD kernel module: by default in Chrome 114+ and
 * Node 22+ (V8 11.4+), in Node 20 with `--experimental-wasm-relaxed-simd`.
 */
export function wasmRelaxedSimdSupported(): boolean {
  return wasmSimdSupported() && WebAssembly.validate(moduleBytes('relaxedSimd'));
}

/**
 * How the relaxed-SIMD kernel module became loadable (`enableRelaxedSimd`): `default` (the engine
 * validates it as it is: Chrome 114+, Node 22+), `enabled` (through the V8 flag, Node 20) or
 * `unavailable` (no relaxed SIMD here, not even behind the flag, or no way to set the flag).
 */
export type RelaxedSimdStatus = 'default' | 'enabled' | 'unavailable';

/** The V8 flag behind which Node 20 keeps WebAssembly relaxed SIMD. */
const RELAXED_SIMD_FLAG = '--experimental-wasm-relaxed-simd';

/**
 * Lets the wasm backend load its relaxed-SIMD kernel module (fused multiply-adds in the GEMM and
 * the convolutions) on Node 20, which keeps relaxed SIMD behind `--experimental-wasm-relaxed-simd`:
 * it sets that flag (`node:v8`, reached through `process.getBuiltinModule`, Node 20.16+) for the
 * whole process, worker threads started later included. Where the engine has relaxed SIMD on
 * (Chrome 114+, Node 22+) it does nothing. Call it before the first op: a backend that has already
 * loaded the plain SIMD module keeps it. Results change in the last bits (a fused multiply-add
 * rounds once where the plain module rounds twice) and match what Node 22+ loads by default.
 *
 * @example
 * enableRelaxedSimd(); // before any op
 * setBackend('wasm');
 */
export function enableRelaxedSimd(): RelaxedSimdStatus {
  if (wasmRelaxedSimdSupported()) return 'default';
  const v8 = nodeProcess()?.getBuiltinModule?.('node:v8') as
    { setFlagsFromString(flags: string): void } | undefined;
  if (v8 === undefined || !wasmSimdSupported()) return 'unavailable';
  v8.setFlagsFromString(RELAXED_SIMD_FLAG);
  return wasmRelaxedSimdSupported() ? 'enabled' : 'unavailable';
}

/** The module variant to load: `relaxedSimd` where the engine supports it, `simd` otherwise. */
export function bestWasmModuleVariant(): WasmModuleVariant {
  return wasmRelaxedSimdSupported() ? 'relaxedSimd' : 'simd';
}

/**
 * Instantiates the kernel module synchronously, on a new shared memory when `shared` (what a
 * thread pool runs) or an unshared one, or returns null where the engine refuses a synchronous compile of this
 * size (Chrome's main thread): then use `instantiateAsync`.
 */
export function instantiateSync(variant: WasmModuleVariant, shared: boolean): KernelInstance | null {
  let module: WebAssembly.Module;
  let instance: WebAssembly.Instance;
  try {
    module = new WebAssembly.Module(moduleBytes(variant, shared));
    instance = new WebAssembly.Instance(module, { env: { abort, memory: createMemory(shared) } });
  } catch (e) {
    if (e instanceof RangeError) return null;
    throw e;
  }
  return started(module, instance, shared);
}

/** Compiles and instantiates the kernel module asynchronously (browsers); `shared` as in `instantiateSync`. */
export async function instantiateAsync(variant: WasmModuleVariant, shared: boolean): Promise<KernelInstance> {
  const { module, instance } = await WebAssembly.instantiate(moduleBytes(variant, shared), {
    env: { abort, memory: createMemory(shared) },
  });
  return started(module, instance, shared);
}
