import { enableRelaxedSimd, registerWasmBackend, type KernelAttrs, type Shape } from '../src';
import { runOn, type InputSpec } from '../../../test-utils/backend-parity';

export { randomValues, worstExcess, type InputSpec } from '../../../test-utils/backend-parity';

if (!registerWasmBackend()) throw new Error('wasm tests: this engine has no WebAssembly SIMD');

// Node 20 keeps relaxed SIMD behind a V8 flag (Node 22+ has it on); set it so both module variants
// are tested, each under its own backend name. `wasm` itself stays whichever the engine picked.
enableRelaxedSimd();
for (const moduleVariant of ['simd', 'relaxedSimd'] as const) {
  if (!registerWasmBackend({ name: `wasm-${moduleVariant}`, moduleVariant, priority: 0 }))
    throw new Error(`wasm tests: this engine cannot load the ${moduleVariant} kernel module`);
}

/** The backend names of the two kernel-module variants, for the kernels whose code differs (GEMM). */
export const WASM_VARIANT_BACKENDS = ['wasm-simd', 'wasm-relaxedSimd'] as const;

/** Outputs of one kernel run on the cpu and the wasm backend with the same inputs. */
export interface Both {
  readonly cpu: Float32Array | Int32Array;
  readonly wasm: Float32Array | Int32Array;
  readonly cpuShape: Shape;
  readonly wasmShape: Shape;
  readonly cpuDtype: string;
  readonly wasmDtype: string;
}

/** Runs `kernel` through the engine on the cpu backend and on `wasmBackend` (default `wasm`). */
export function runBoth(
  kernel: string,
  specs: readonly InputSpec[],
  attrs: KernelAttrs = {},
  seed = 1,
  wasmBackend = 'wasm',
): Both {
  const cpu = runOn('cpu', kernel, specs, attrs, seed);
  const wasm = runOn(wasmBackend, kernel, specs, attrs, seed);
  return {
    cpu: cpu.values,
    wasm: wasm.values,
    cpuShape: cpu.shape,
    wasmShape: wasm.shape,
    cpuDtype: cpu.dtype,
    wasmDtype: wasm.dtype,
  };
}
