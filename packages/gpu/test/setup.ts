import { Rng, engine, type KernelAttrs, type Shape, type Tensor, tensor } from '@fbt/tensor';
import { glAvailability, registerGpuBackend } from '../src';

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

/** Values and shape of one kernel input. */
export interface InputSpec {
  readonly shape: Shape;
  readonly values?: Float32Array | Int32Array;
  readonly dtype?: 'float32' | 'int32';
}

/** Uniform random float32 values in [low, high), seeded. */
export function randomValues(size: number, seed: number, low = -2, high = 2): Float32Array {
  return new Rng(seed).fillUniform(new Float32Array(size), low, high);
}

function makeInputs(specs: readonly InputSpec[], seed: number): Tensor[] {
  return specs.map((s, k) => {
    const size = s.shape.reduce((a, b) => a * b, 1);
    const values = s.values ?? randomValues(size, seed + k);
    return tensor(values.slice(), s.shape, s.dtype ?? (values instanceof Int32Array ? 'int32' : 'float32'));
  });
}

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
  const on = (backend: string): { values: Float32Array | Int32Array; shape: Shape; dtype: string } =>
    engine().withBackend(backend, () =>
      engine().tidy(() => {
        const [out] = engine().runKernel(kernel, makeInputs(specs, seed), attrs);
        return { values: out!.dataSync().slice(), shape: out!.shape, dtype: out!.dtype };
      }),
    );
  const cpu = on('cpu');
  const gpu = on('gpu');
  return {
    cpu: cpu.values,
    gpu: gpu.values,
    cpuShape: cpu.shape,
    gpuShape: gpu.shape,
    cpuDtype: cpu.dtype,
    gpuDtype: gpu.dtype,
  };
}

/** The largest violation of |gpu − cpu| ≤ atol + rtol·|cpu| (0 when within tolerance; NaN must match NaN). */
export function worstExcess(
  cpu: ArrayLike<number>,
  gpu: ArrayLike<number>,
  atol: number,
  rtol: number,
): number {
  let worst = 0;
  for (let k = 0; k < cpu.length; k++) {
    const c = cpu[k]!;
    const g = gpu[k]!;
    if (Number.isNaN(c) || Number.isNaN(g)) {
      if (Number.isNaN(c) !== Number.isNaN(g)) return Infinity;
      continue;
    }
    if (c === g) continue;
    worst = Math.max(worst, Math.abs(g - c) - (atol + rtol * Math.abs(c)));
  }
  return worst;
}
