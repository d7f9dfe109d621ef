import { describe, expect, it } from 'vitest';
import {
  addInPlace,
  BackendError,
  conv2d,
  DisposedError,
  DTypeError,
  engine,
  logSoftmax,
  matmul,
  mean,
  mul,
  oneHot,
  Rng,
  scalar,
  ShapeError,
  softmax,
  sub,
  sum,
  tensor,
  tidy,
  WasmBackend,
  wasmRelaxedSimdSupported,
  withBackend,
  zeros,
  type Tensor,
} from '../src';
import { SOURCE_HASH } from '../src/backends/wasm/module.generated';
// @ts-expect-error: a plain .mjs build helper without type declarations
import { sourceHash } from '../scripts/wasm-source.mjs';
import './wasm-helpers';

const wasm = (): WasmBackend => engine().findBackend('wasm') as WasmBackend;

describe('wasm backend storage', () => {
  it('the embedded module was built from the current assembly/ sources', () => {
    expect(SOURCE_HASH, 'run `pnpm --filter @fbt/tensor build:wasm`').toBe(sourceHash());
  });

  it('round-trips float32 and int32 values and returns copies', () => {
    withBackend('wasm', () => {
      const f = tensor([1.5, -2, 3], [3]);
      const i = tensor(Int32Array.of(7, -8), [2], 'int32');
      expect(f.backend).toBeInstanceOf(WasmBackend);
      expect(f.dataSync()).toEqual(Float32Array.of(1.5, -2, 3));
      expect(i.dataSync()).toEqual(Int32Array.of(7, -8));
      f.dataSync()[0] = 99;
      expect(f.dataSync()[0]).toBe(1.5);
      f.dispose();
      i.dispose();
    });
  });

  it('frees blocks on dispose and reuses them, so a steady-state loop does not grow memory', () => {
    withBackend('wasm', () => {
      const before = wasm().numDataIds();
      const a = tensor(new Rng(1).fillUniform(new Float32Array(64 * 96), -1, 1), [64, 96]);
      const w = tensor(new Rng(2).fillUniform(new Float32Array(96 * 32), -1, 1), [96, 32]);
      const step = (): void =>
        tidy(() => {
          const y = matmul(a, w);
          const g = matmul(a, softmax(y, 1), { transposeA: true });
          addInPlace(w, g, -1e-3);
        });
      for (let i = 0; i < 3; i++) step();
      const bytes = wasm().memoryBytes();
      const live = wasm().numDataIds();
      for (let i = 0; i < 20; i++) step();
      expect(wasm().memoryBytes()).toBe(bytes);
      expect(wasm().numDataIds()).toBe(live);
      a.dispose();
      w.dispose();
      expect(wasm().numDataIds()).toBe(before);
    });
  });

  it('in-place kernels keep the storage block', () => {
    withBackend('wasm', () => {
      const t = tensor([1, 2, 3], [3]);
      const { dataId } = t;
      const ptr = (dataId as { ptr: number }).ptr;
      addInPlace(t, tensor([10, 20, 30], [3]), 0.5);
      expect(t.dataId).toBe(dataId);
      expect((t.dataId as { ptr: number }).ptr).toBe(ptr);
      expect(Array.from(t.dataSync())).toEqual([6, 12, 18]);
    });
  });

  it('a tensor of 1 GiB or more is refused before allocating, naming the 4 GiB wasm limit (issue 23, group 9)', () => {
    expect(() => wasm().allocate(2 ** 28 + 16, 'float32')).toThrow(BackendError);
    expect(() => wasm().allocate(2 ** 28 + 16, 'float32')).toThrow(
      /^wasm backend: a tensor of 1073741888 bytes \(1\.00 GiB\) does not fit: wasm memory holds at most 4 GiB, and one tensor less than 1 GiB \(268435456 float32 elements\); use the cpu backend/,
    );
    // 2^32 bytes used to wrap to a 0-byte block and fail later with "offset is out of bounds".
    const before = wasm().numDataIds();
    for (const shape of [
      [32768, 32768],
      [16384, 32768],
    ])
      expect(() => withBackend('wasm', () => zeros(shape))).toThrow(
        /\(\d\.00 GiB\) does not fit: wasm memory holds at most 4 GiB/,
      );
    expect(wasm().numDataIds()).toBe(before);
  });

  it('is the default backend where WebAssembly SIMD exists', () => {
    expect(engine().backend.name).toBe('wasm');
  });

  it('reads of disposed storage throw', () => {
    const t = withBackend('wasm', () => tensor([1, 2], [2]));
    const id = t.dataId;
    t.dispose();
    expect(() => wasm().readSync(id)).toThrow(DisposedError);
    expect(() => t.dataSync()).toThrow(DisposedError);
  });

  it('moves tensors between the cpu and wasm backends', () => {
    const onCpu = tensor([1, 2, 3], [3]);
    const doubled = withBackend('wasm', () => mul(onCpu, scalar(2)));
    expect(doubled.backend.name).toBe('wasm');
    expect(Array.from(doubled.dataSync())).toEqual([2, 4, 6]);
  });

  it('rejects bad input with the cpu backend’s errors', () => {
    withBackend('wasm', () => {
      const ints = tensor(Int32Array.of(1, 2, 3, 4), [2, 2], 'int32');
      expect(() => matmul(ints, ints)).toThrow(DTypeError);
      expect(() => matmul(tensor([1, 2, 3], [1, 3]), tensor([1, 2], [2, 1]))).toThrow(ShapeError);
      const x = tensor(new Float32Array(2 * 3 * 5 * 5), [2, 3, 5, 5]);
      expect(() => conv2d(x, tensor(new Float32Array(4 * 2 * 3 * 3), [4, 2, 3, 3]))).toThrow(/channels/);
    });
  });

  it('loads the module variant it was asked for, and by default the best the engine validates', () => {
    // wasm-helpers enabled relaxed SIMD, so the engine now validates both variants.
    expect(wasmRelaxedSimdSupported()).toBe(true);
    expect(new WasmBackend('wasm-default').moduleVariant).toBe('relaxedSimd');
    expect(new WasmBackend('wasm-plain', 'sync', 'simd').moduleVariant).toBe('simd');
    expect((engine().findBackend('wasm-simd') as WasmBackend).moduleVariant).toBe('simd');
    expect((engine().findBackend('wasm-relaxedSimd') as WasmBackend).moduleVariant).toBe('relaxedSimd');
  });

  it('both variants train the same model to the same loss within float32 rounding', () => {
    const [plain, fused] = (['wasm-simd', 'wasm-relaxedSimd'] as const).map((b) =>
      withBackend(b, () => train(30)),
    );
    for (let i = 0; i < plain!.losses.length; i++) expect(fused!.losses[i]).toBeCloseTo(plain!.losses[i]!, 5);
  });

  it('a backend compiling asynchronously asks for await ready(), then works', async () => {
    const pending = new WasmBackend('wasm-async', 'async');
    expect(() => pending.exports).toThrow(BackendError);
    expect(() => pending.write(Float32Array.of(1), [1], 'float32')).toThrow(/await ready\(\)/);
    await pending.ready();
    const id = pending.write(Float32Array.of(1.5, 2.5), [2], 'float32');
    expect(pending.readSync(id)).toEqual(Float32Array.of(1.5, 2.5));
    pending.disposeData(id);
    expect(pending.numDataIds()).toBe(0);
  });
});

/**
 * Softmax regression on seeded synthetic data, from tensor ops only (gradient written by hand):
 * returns the weights after `steps` SGD steps and the loss of each step.
 */
function train(steps: number): { weights: Float32Array; losses: number[] } {
  const rng = new Rng(42);
  const [n, d, classes] = [96, 23, 5];
  const x = tensor(rng.fillUniform(new Float32Array(n * d), -1, 1), [n, d]);
  const labels = tensor(
    Int32Array.from({ length: n }, (_, i) => (i * 7) % classes),
    [n],
    'int32',
  );
  const y = oneHot(labels, classes);
  const w = tensor(rng.fillUniform(new Float32Array(d * classes), -0.1, 0.1), [d, classes]);
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    tidy(() => {
      const logits = matmul(x, w);
      losses.push(-sum(mul(logSoftmax(logits, 1), y)).item() / n);
      const grad = matmul(x, sub(softmax(logits, 1), y), { transposeA: true });
      addInPlace(w, grad, -0.5 / n);
    });
  }
  const weights = w.dataSync().slice() as Float32Array;
  for (const t of [x, labels, y, w] as Tensor[]) t.dispose();
  return { weights, losses };
}

describe('training on the wasm backend', () => {
  it('is deterministic run to run and agrees with the cpu backend', () => {
    const first = withBackend('wasm', () => train(30));
    const second = withBackend('wasm', () => train(30));
    expect(second.weights).toEqual(first.weights);
    expect(second.losses).toEqual(first.losses);
    expect(first.losses[29]!).toBeLessThan(first.losses[0]! * 0.8);
    const cpu = withBackend('cpu', () => train(30));
    cpu.losses.forEach((l, i) => expect(Math.abs(l - first.losses[i]!)).toBeLessThan(1e-5));
    expect(
      mean(
        tensor(
          cpu.weights.map((v, i) => Math.abs(v - first.weights[i]!)),
          [cpu.weights.length],
        ),
      ).item(),
    ).toBeLessThan(1e-5);
  });
});
