import { describe, expect, it } from 'vitest';
import { Rng, engine, mul, sum, tensor, tidy, withBackend, type WasmBackend } from '@fbt/tensor';
import { DataLoader } from '../src';

const wasm = (): WasmBackend => engine().findBackend('wasm') as WasmBackend;

/** The README's loop: one tidy step per batch, never disposing the batch itself. */
function train(loader: DataLoader, epochs: number): void {
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (const batch of loader) tidy(() => sum(mul(batch.x, batch.x)).dataSync());
  }
}

describe('DataLoader in a long training loop (wasm backend)', () => {
  it('keeps live tensors and wasm memory flat: each batch is disposed when the next is requested', () => {
    withBackend('wasm', () => {
      const rows = 1000;
      const x = tensor(new Rng(1).fillUniform(new Float32Array(rows * 64), -1, 1), [rows, 64]);
      const y = tensor(
        Int32Array.from({ length: rows }, (_, i) => i % 10),
        [rows],
      );
      const loader = new DataLoader(x, y, { batchSize: 50, shuffle: true, rng: 3 });
      train(loader, 2); // warm up the allocator
      const live = wasm().numDataIds();
      const bytes = wasm().memoryBytes();
      train(loader, 25); // 500 steps, 12.8 KB of x per batch
      expect(wasm().numDataIds()).toBe(live);
      expect(wasm().memoryBytes()).toBe(bytes);
      expect(live).toBe(2); // only x and y: no batch outlives its epoch
      x.dispose();
      y.dispose();
    });
  });

  it('disposes the last batch on break, and keeps every batch with keepBatches', () => {
    withBackend('wasm', () => {
      const x = tensor(new Float32Array(12), [6, 2]);
      const y = tensor(new Int32Array(6), [6]);
      const before = wasm().numDataIds();
      let first;
      for (const batch of new DataLoader(x, y, { batchSize: 2 })) {
        first = batch;
        break;
      }
      expect(first!.x.isDisposed).toBe(true);
      expect(wasm().numDataIds()).toBe(before);
      const kept = [...new DataLoader(x, y, { batchSize: 2, keepBatches: true })];
      expect(kept.every((b) => !b.x.isDisposed && !b.y.isDisposed)).toBe(true);
      expect(wasm().numDataIds()).toBe(before + 6);
      for (const b of kept) {
        b.x.dispose();
        b.y.dispose();
      }
      x.dispose();
      y.dispose();
    });
  });
});
