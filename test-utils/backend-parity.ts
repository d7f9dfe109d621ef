import { engine, Rng, tensor, type KernelAttrs, type Shape, type Tensor } from '@fbt/tensor';

/*
 * Helpers of the backend parity tests (packages/tensor/test/wasm-kernels.test.ts and
 * packages/gpu/test/parity.test.ts): run one kernel on two backends with the same seeded inputs and
 * measure how far apart the outputs are. Test-only: no package exports them.
 */

/**
 * One kernel input: its shape and, optionally, its values (seeded uniform in [-2, 2) otherwise) and
 * dtype (int32 for `Int32Array` values, float32 otherwise).
 */
export interface InputSpec {
  readonly shape: Shape;
  readonly values?: Float32Array | Int32Array;
  readonly dtype?: 'float32' | 'int32';
}

/** Seeded uniform float32 values in [low, high). */
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

/** What one kernel run gave: a copy of its first output's values, its shape and dtype. */
export interface KernelOutput {
  readonly values: Float32Array | Int32Array;
  readonly shape: Shape;
  readonly dtype: string;
}

/** Runs `kernel` through the engine on `backend`, with inputs built from `specs` (seeded by `seed`). */
export function runOn(
  backend: string,
  kernel: string,
  specs: readonly InputSpec[],
  attrs: KernelAttrs = {},
  seed = 1,
): KernelOutput {
  return engine().withBackend(backend, () =>
    engine().tidy(() => {
      const [out] = engine().runKernel(kernel, makeInputs(specs, seed), attrs);
      return { values: out!.dataSync().slice(), shape: out!.shape, dtype: out!.dtype };
    }),
  );
}

/**
 * The largest violation of |candidate − reference| ≤ atol + rtol·|reference| over all elements
 * (0 when every element is within tolerance; a NaN must meet a NaN, else the result is Infinity).
 */
export function worstExcess(
  reference: ArrayLike<number>,
  candidate: ArrayLike<number>,
  atol: number,
  rtol: number,
): number {
  let worst = 0;
  for (let k = 0; k < reference.length; k++) {
    const r = reference[k]!;
    const c = candidate[k]!;
    if (Number.isNaN(r) || Number.isNaN(c)) {
      if (Number.isNaN(r) !== Number.isNaN(c)) return Infinity;
      continue;
    }
    if (r === c) continue;
    worst = Math.max(worst, Math.abs(c - r) - (atol + rtol * Math.abs(r)));
  }
  return worst;
}
