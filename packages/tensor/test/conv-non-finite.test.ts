import { describe, expect, it } from 'vitest';
import { conv2d, conv2dBackpropFilter, conv2dBackpropInput, setThreads, tensor, withBackend } from '../src';
import { WASM_VARIANT_BACKENDS } from './wasm-helpers';

/*
 * The wasm direct convolutions skip the taps that read padding. Where the operand multiplying the
 * padding (the filters, or dY for the filter gradient) holds ±Inf or NaN, Inf·0 must still give NaN,
 * as on cpu and in PyTorch: the wasm backend then multiplies every tap.
 */

/** Deterministic values in [-0.5, 0.5). */
function values(size: number, seed: number): Float32Array {
  return Float32Array.from({ length: size }, (_, i) => ((i * 7919 + seed * 104729) % 1009) / 1009 - 0.5);
}

/** Indices where `wasm` is not cpu's value: NaN and ±Inf alike, the rest within float32 rounding. */
function mismatches(cpu: Float32Array, wasm: Float32Array): number[] {
  const bad: number[] = [];
  for (let i = 0; i < cpu.length; i++) {
    const [a, b] = [cpu[i]!, wasm[i]!];
    const same = Number.isFinite(a) ? Math.abs(b - a) <= 1e-4 * (1 + Math.abs(a)) : Object.is(a, b);
    if (!same) bad.push(i);
  }
  return bad;
}

// LeNet's first convolution (padding 2): a batch of 64 takes the image-lane kernel, a batch of 3
// the channel blocks; 16 output channels take the channel-vectorized kernel.
const cases = [
  { n: 64, c: 1, h: 28, o: 6, k: 5, padding: 2 },
  { n: 3, c: 2, h: 9, o: 6, k: 3, padding: 1 },
  { n: 5, c: 6, h: 14, o: 16, k: 5, padding: 2 },
];

describe('convolutions with non-finite filters or gradients', () => {
  for (const { n, c, h, o, k, padding } of cases) {
    const oh = h + 2 * padding - k + 1;
    for (const backend of [...WASM_VARIANT_BACKENDS, 'wasm']) {
      it(`${backend}: ${n}x${c}x${h}x${h} * ${o}x${c}x${k}x${k}, padding ${padding}: NaN where Inf meets padding, as on cpu (1 and 2 threads)`, () => {
        const x = values(n * c * h * h, 1);
        const w = values(o * c * k * k, 2);
        w[0] = Infinity; // tap (0, 0) of filter 0: reads padding for the top rows and left columns
        w[w.length - 1] = Number.NaN;
        const dy = values(n * o * oh * oh, 3);
        dy[0] = -Infinity;
        const run = (name: string): Float32Array[] =>
          withBackend(name, () => {
            const [xt, wt, dyt] = [
              tensor(x, [n, c, h, h]),
              tensor(w, [o, c, k, k]),
              tensor(dy, [n, o, oh, oh]),
            ];
            return [
              conv2d(xt, wt, { padding }),
              conv2dBackpropInput(dyt, wt, { padding, inputShape: [n, c, h, h] }),
              conv2dBackpropFilter(xt, dyt, { padding, filterShape: [o, c, k, k] }),
            ].map((t) => t.dataSync() as Float32Array);
          });
        const cpu = run('cpu');
        for (const out of cpu) expect(out.some(Number.isNaN)).toBe(true);
        for (const threads of [1, 2]) {
          setThreads(threads);
          run(backend).forEach((out, i) => expect(mismatches(cpu[i]!, out)).toEqual([]));
        }
        setThreads(1);
      }, 60_000);
    }
  }
});
