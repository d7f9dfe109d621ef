import { describe, expect, it } from 'vitest';
import {
  clamp,
  exp,
  getThreads,
  log,
  pow,
  setThreads,
  sigmoid,
  tanh,
  tensor,
  tidy,
  where,
  withBackend,
  type Tensor,
} from '../src';
import './wasm-helpers';

/**
 * The ops without a native SIMD operation (`exp log tanh sigmoid pow clamp where`) run on wasm as
 * their op-table formula compiled to wasm, in float64 with the kernel module's musl-derived
 * functions; the cpu kernel runs the same formula in JavaScript with V8's `Math`. Rounded to
 * float32 the two agree bit for bit unless a float64 result sits within an ulp of a float32
 * rounding boundary: these samples (2¹⁸ values per op over 2⁻²⁰ … 2²⁰ in magnitude, both signs,
 * and the special values) find no such case, on 1 and 2 threads.
 */
const SIZE = 1 << 18;

/** Seeded values spread over magnitudes 2⁻²⁰ … 2²⁰, both signs, with ±0, ±∞ and NaN at the front. */
function sample(seed: number, size = SIZE): Float32Array {
  const out = new Float32Array(size);
  out.set([0, -0, Infinity, -Infinity, Number.NaN, 1, -1, 88.7, -88.7, 1e-45]);
  let s = seed >>> 0;
  const next = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  for (let i = 10; i < size; i++) out[i] = (next() < 0.5 ? -1 : 1) * 2 ** (40 * next() - 20) * (1 + next());
  return out;
}

function bits(backend: string, f: () => Tensor): Uint32Array {
  return withBackend(backend, () => tidy(() => new Uint32Array(f().dataSync().slice().buffer)));
}

/** Indices where the two results differ in their bits (NaN payloads aside). */
function mismatches(cpu: Uint32Array, wasm: Uint32Array): number[] {
  const out: number[] = [];
  const f = (u: Uint32Array, i: number): number => new Float32Array(u.buffer)[i]!;
  for (let i = 0; i < cpu.length; i++) {
    if (cpu[i] !== wasm[i] && !(Number.isNaN(f(cpu, i)) && Number.isNaN(f(wasm, i)))) out.push(i);
  }
  return out;
}

const x = sample(1);
const positive = sample(2).map(Math.abs);
const exponent = sample(3).map((v) => (Number.isFinite(v) ? Math.max(-40, Math.min(40, v)) : v));
const cond = sample(4).map((v) => (v > 0 ? 1 : 0));

const CASES: readonly [string, () => Tensor][] = [
  ['exp', () => exp(tensor(x, [SIZE]))],
  ['log', () => log(tensor(positive, [SIZE]))],
  ['tanh', () => tanh(tensor(x, [SIZE]))],
  ['sigmoid', () => sigmoid(tensor(x, [SIZE]))],
  ['pow', () => pow(tensor(positive, [SIZE]), tensor(exponent, [SIZE]))],
  ['pow (broadcast exponent)', () => pow(tensor(x, [SIZE / 4, 4]), tensor([2, 0.5, -1, 3], [4]))],
  ['clamp', () => clamp(tensor(x, [SIZE]), -1, 1)],
  ['where', () => where(tensor(cond, [SIZE]), tensor(x, [SIZE]), tensor(positive, [SIZE]))],
];

describe('formula ops on wasm agree with the cpu kernel bit for bit', () => {
  it.each(CASES)('%s', (_name, f) => {
    const cpu = bits('cpu', f);
    const before = getThreads();
    for (const threads of [1, 2]) {
      setThreads(threads);
      try {
        expect(mismatches(cpu, bits('wasm', f)), `${threads} thread(s)`).toEqual([]);
      } finally {
        setThreads(before);
      }
    }
  });
});
