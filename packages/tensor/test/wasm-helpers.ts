import { registerWasmBackend, type KernelAttrs, type Shape } from '../src';
import { runOn, type InputSpec } from '../../../test-utils/backend-parity';

export { randomValues, worstExcess, type InputSpec } from '../../../test-utils/backend-parity';

if (!registerWasmBackend()) throw new Error('wasm tests: this engine has no WebAssembly SIMD');

/** Outputs of one kernel run on the cpu and the wasm backend with the same inputs. */
export interface Both {
  readonly cpu: Float32Array | Int32Array;
  readonly wasm: Float32Array | Int32Array;
  readonly cpuShape: Shape;
  readonly wasmShape: Shape;
  readonly cpuDtype: string;
  readonly wasmDtype: string;
}

/** Runs `kernel` through the engine on both backends. */
export function runBoth(
  kernel: string,
  specs: readonly InputSpec[],
  attrs: KernelAttrs = {},
  seed = 1,
): Both {
  const cpu = runOn('cpu', kernel, specs, attrs, seed);
  const wasm = runOn('wasm', kernel, specs, attrs, seed);
  return {
    cpu: cpu.values,
    wasm: wasm.values,
    cpuShape: cpu.shape,
    wasmShape: wasm.shape,
    cpuDtype: cpu.dtype,
    wasmDtype: wasm.dtype,
  };
}
