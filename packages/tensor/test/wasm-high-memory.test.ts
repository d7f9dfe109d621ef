import { describe, expect, it } from 'vitest';
import {
  engine,
  matmul,
  registerWasmBackend,
  sigmoid,
  sum,
  tensor,
  tidy,
  WasmBackend,
  withBackend,
} from '../src';
import './wasm-helpers';

/**
 * Linear memory past 2 GiB: wasm returns addresses as i32, so a block above 2³¹ comes back
 * negative unless read as unsigned. This test fills the first 2.4 GiB with three large blocks,
 * then runs kernels on tensors that must live above 2 GiB and compares them with the cpu backend.
 */
describe('wasm backend above 2 GiB of linear memory', () => {
  it('addresses blocks past 2³¹ as unsigned: writes, reads and kernels agree with the cpu', () => {
    registerWasmBackend({ name: 'wasm-high-memory', moduleVariant: 'simd', priority: 0 });
    const backend = engine().findBackend('wasm-high-memory') as WasmBackend;
    const fillers = [0, 1, 2].map(() => backend.allocate(200 * 1024 * 1024, 'float32')); // 800 MiB each
    expect(backend.memoryBytes()).toBeGreaterThan(2 ** 31);
    const a = [0.5, -1, 2, 3, -4, 5, 0.25, 8, -9, 10, 11, 12];
    const b = [1, 2, -3, 4, 5, -6, 7, 8, 9];
    const run = (name: string): number[][] =>
      withBackend(name, () =>
        tidy(() => {
          const x = tensor(a, [4, 3]);
          const w = tensor(b, [3, 3]);
          if (name === 'wasm-high-memory') {
            const { ptr } = x.dataId as { ptr: number };
            expect(ptr).toBeGreaterThanOrEqual(2 ** 31);
          }
          const y = matmul(x, w);
          return [x, y, sigmoid(y), sum(y, [1])].map((t) => Array.from(t.dataSync()));
        }),
      );
    const [x, y, s, total] = run('wasm-high-memory');
    const [cx, cy, cs, ctotal] = run('cpu');
    expect(x).toEqual(cx);
    expect(y).toEqual(cy);
    s!.forEach((v, i) => expect(v).toBeCloseTo(cs![i]!, 6));
    expect(total).toEqual(ctotal);
    for (const block of fillers) backend.disposeData(block);
  });
});
