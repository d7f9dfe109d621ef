import type { KernelAttrs, Shape } from '@fbt/tensor';
import { glAvailability, registerGpuBackend } from '../src';
import { runOn, type InputSpec } from '../../../test-utils/backend-parity';

export { randomValues, worstExcess, type InputSpec } from '../../../test-utils/backend-parity';

/**
 * Whether the GL tests can run. Outside CI a missing GL device skips them with the printed reason;
 * with CI=true they must run, so a missing device fails the suite instead.
 */
const gl = glAvailability();
export const GL_AVAILABLE = gl.available;
if (!GL_AVAILABLE) {
  const message = `@fbt/gpu tests: no GL device (${gl.reason})`;
  if (process.env.CI === 'true') throw new Error(`${message}; CI=true requires it (run under xvfb-run -a)`);
  console.warn(`${message}; skipping the GL tests`);
}

registerGpuBackend({ name: 'gpu', onFallback: () => undefined });

/** Result of running one kernel on both backends with the same inputs. */
export interface ParityResult {
  readonly cpu: Float32Array | Int32Array;
  readonly gpu: Float32Array | Int32Array;
  readonly cpuShape: Shape;
  readonly gpuShape: Shape;
  readonly gpuDtype: string;
  readonly cpuDtype: string;
}

/** Runs `kernel` on the cpu and the gpu backends on the same inputs and returns both outputs. */
export function runBoth(
  kernel: string,
  specs: readonly InputSpec[],
  attrs: KernelAttrs = {},
  seed = 1,
): ParityResult {
  const cpu = runOn('cpu', kernel, specs, attrs, seed);
  const gpu = runOn('gpu', kernel, specs, attrs, seed);
  return {
    cpu: cpu.values,
    gpu: gpu.values,
    cpuShape: cpu.shape,
    gpuShape: gpu.shape,
    cpuDtype: cpu.dtype,
    gpuDtype: gpu.dtype,
  };
}
