import { describe, expect, it } from 'vitest';
import { Rng, ShapeError, arange, eye, getBackend, rand, tensor, zeros, wasmSimdSupported } from '../src';

describe('creation', () => {
  it('builds tensors from nested arrays on the default backend (wasm where WebAssembly SIMD exists)', () => {
    const t = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(t.shape).toEqual([2, 3]);
    expect(Array.from(t.dataSync())).toEqual([1, 2, 3, 4, 5, 6]);
    expect(getBackend()).toBe(wasmSimdSupported() ? 'wasm' : 'cpu');
  });
  it('rejects ragged arrays and a size mismatch', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(ShapeError);
    expect(() => tensor([1, 2, 3], [2, 2])).toThrow(/3 values do not fill shape \[2, 2\]/);
  });
  it('makes ranges, identities and zeros', () => {
    expect(Array.from(arange(4).dataSync())).toEqual([0, 1, 2, 3]);
    expect(eye(2).toArray()).toEqual([
      [1, 0],
      [0, 1],
    ]);
    expect(zeros([2, 0]).size).toBe(0);
  });
  it('gives bit-identical random tensors for the same seed', () => {
    const a = rand([1000], new Rng(7)).dataSync();
    const b = rand([1000], new Rng(7)).dataSync();
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
    expect(Array.from(rand([3], new Rng(8)).dataSync())).not.toEqual(Array.from(a.slice(0, 3)));
  });
});
