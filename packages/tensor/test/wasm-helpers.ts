import { engine, registerWasmBackend, Rng, tensor, type KernelAttrs, type Shape, type Tensor } from '../src';

if (!registerWasmBackend()) throw new Error('wasm tests: this engine has no WebAssembly SIMD');

/** One kernel input: its shape and, optionally, its values (seeded uniform in [-2, 2) otherwise). */
export interface InputSpec {
  readonly shape: Shape;
  readonly values?: Float32Array | Int32Array;
}

/** Outputs of one kernel run on the cpu and the wasm backend with the same inputs. */
export interface Both {
  readonly cpu: Float32Array | Int32Array;
  readonly wasm: Float32Array | Int32Array;
  readonly cpuShape: Shape;
  readonly wasmShape: Shape;
  readonly cpuDtype: string;
  readonly wasmDtype: string;
}

/** Seeded uniform float32 values in [low, high). */
export function randomValues(size: number, seed: number, low = -2, high = 2): Float32Array {
  return new Rng(seed).fillUniform(new Float32Array(size), low, high);
}

function inputs(specs: readonly InputSpec[], seed: number): Tensor[] {
  return specs.map((s, k) => {
    const values =
      s.values ??
      randomValues(
        s.shape.reduce((a, b) => a * b, 1),
        seed + k,
      );
    return tensor(values.slice(), s.shape, values instanceof Int32Array ? 'int32' : 'float32');
  });
}

/** Runs `kernel` through the engine on both backends. */
export function runBoth(
  kernel: string,
  specs: readonly InputSpec[],
  attrs: KernelAttrs = {},
  seed = 1,
): Both {
  const on = (backend: string): { values: Float32Array | Int32Array; shape: Shape; dtype: string } =>
    engine().withBackend(backend, () =>
      engine().tidy(() => {
        const [out] = engine().runKernel(kernel, inputs(specs, seed), attrs);
        return { values: out!.dataSync().slice(), shape: out!.shape, dtype: out!.dtype };
      }),
    );
  const cpu = on('cpu');
  const wasm = on('wasm');
  return {
    cpu: cpu.values,
    wasm: wasm.values,
    cpuShape: cpu.shape,
    wasmShape: wasm.shape,
    cpuDtype: cpu.dtype,
    wasmDtype: wasm.dtype,
  };
}

/** The largest violation of |wasm − cpu| ≤ atol + rtol·|cpu| (0 within tolerance; NaN must meet NaN). */
export function worstExcess(
  cpu: ArrayLike<number>,
  wasm: ArrayLike<number>,
  atol: number,
  rtol: number,
): number {
  let worst = 0;
  for (let k = 0; k < cpu.length; k++) {
    const c = cpu[k]!;
    const w = wasm[k]!;
    if (Number.isNaN(c) || Number.isNaN(w)) {
      if (Number.isNaN(c) !== Number.isNaN(w)) return Infinity;
      continue;
    }
    if (c === w) continue;
    worst = Math.max(worst, Math.abs(w - c) - (atol + rtol * Math.abs(c)));
  }
  return worst;
}
