import { BackendError } from '../../errors';
import { WASM_RELAXED_SIMD_BASE64, WASM_SIMD_BASE64 } from './module.generated';

/** A `WebAssembly.Global` exported as an operation code. */
interface Code {
  readonly value: number;
}

/**
 * The exports of the kernel module (see `packages/tensor/assembly/index.ts`). Pointers are byte
 * offsets into `memory`; strides and sizes are in elements.
 */
export interface WasmExports {
  readonly memory: WebAssembly.Memory;
  alloc(bytes: number): number;
  free(ptr: number): void;
  gemm(
    m: number,
    n: number,
    k: number,
    a: number,
    aRowStride: number,
    aColStride: number,
    b: number,
    bRowStride: number,
    bColStride: number,
    c: number,
    ldc: number,
    accumulate: boolean,
  ): void;
  binary(op: number, plan: number, out: number, a: number, b: number): void;
  unary(op: number, out: number, x: number, n: number): void;
  stridedCopy(plan: number, dst: number, src: number): void;
  axpy(plan: number, target: number, x: number, alpha: number): void;
  scale(target: number, n: number, factor: number): void;
  reduce(kind: number, plan: number, x: number, isInt: boolean, acc: number, means: number): void;
  softmax(x: number, out: number, outer: number, n: number, inner: number, log: boolean): void;
  im2col(x: number, geometry: number, cols: number): void;
  col2im(cols: number, geometry: number, x: number): void;
  conv2d(x: number, w: number, y: number, geometry: number): void;
  conv2dBackpropInput(dy: number, w: number, dx: number, geometry: number): void;
  conv2dBackpropFilter(x: number, dy: number, dw: number, geometry: number): void;
  maxPool(x: number, y: number, geometry: number): void;
  maxPoolBackward(dy: number, x: number, dx: number, geometry: number): void;
  avgPool(x: number, y: number, geometry: number): void;
  avgPoolBackward(dy: number, dx: number, geometry: number): void;
  exp(x: number): number;
  log(x: number): number;
  tanh(x: number): number;
  pow(x: number, y: number): number;
  readonly [code: string]: unknown;
}

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

const BASE64: Readonly<Record<WasmModuleVariant, string>> = {
  simd: WASM_SIMD_BASE64,
  relaxedSimd: WASM_RELAXED_SIMD_BASE64,
};

function moduleBytes(variant: WasmModuleVariant): Uint8Array<ArrayBuffer> {
  const text = atob(BASE64[variant]);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

const imports: WebAssembly.Imports = {
  env: {
    abort: (_message: number, _file: number, line: number, column: number): never => {
      throw new BackendError(`wasm backend: kernel aborted at assembly line ${line}:${column}`);
    },
  },
};

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

/** The module variant to load: `relaxedSimd` where the engine supports it, `simd` otherwise. */
export function bestWasmModuleVariant(): WasmModuleVariant {
  return wasmRelaxedSimdSupported() ? 'relaxedSimd' : 'simd';
}

/**
 * Instantiates the kernel module synchronously, or returns null where the engine refuses a
 * synchronous compile of this size (Chrome's main thread): then use `instantiateAsync`.
 */
export function instantiateSync(variant: WasmModuleVariant): WasmExports | null {
  try {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes(variant)), imports);
    return instance.exports as unknown as WasmExports;
  } catch (e) {
    if (e instanceof RangeError) return null;
    throw e;
  }
}

/** Compiles and instantiates the kernel module asynchronously (browsers). */
export async function instantiateAsync(variant: WasmModuleVariant): Promise<WasmExports> {
  const { instance } = await WebAssembly.instantiate(moduleBytes(variant), imports);
  return instance.exports as unknown as WasmExports;
}
