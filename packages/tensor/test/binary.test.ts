import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CPU_BACKEND,
  add,
  Rng,
  binaryKernelsAvailable,
  binaryConv2d,
  binaryMatMul,
  conv2d,
  engine,
  ones,
  registerBackend,
  matmul,
  packSigns,
  packedWords,
  reshape,
  setThreads,
  sign,
  sub,
  tensor,
  tidy,
  unpackSigns,
  type Tensor,
  type WasmBackend,
} from '../src';
import { popcount32 } from '../src/backends/cpu/linalg/binary';
import './wasm-helpers';

/*
 * The bit-packed binary ops: the packing layout (bit j of u64 word w is element 64·w + j, set for
 * x ≥ 0), pack/unpack round trips (fuzzed), and binaryMatMul equal bit for bit to the float
 * matmul of the ±1 values on every K tail, on cpu and wasm, on 1 to 4 threads; binaryConv2d equal to
 * the float ±1 convolution (padding taps counted as +1) on odd shapes.
 */

const BACKENDS = ['cpu', 'wasm'] as const;

function on<T>(backend: string, fn: () => T): T {
  return engine().withBackend(backend, () => tidy(fn));
}

/** Seeded values in [−2, 2) with a few exact zeros (sign(0) = +1) and −0s. */
function values(size: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const out = rng.fillUniform(new Float32Array(size), -2, 2);
  for (let i = 0; i < size; i += 7) out[i] = i % 14 === 0 ? 0 : -0;
  return out;
}

function words(t: Tensor): number[] {
  return Array.from(t.dataSync());
}

describe('packSigns', () => {
  it.each(BACKENDS)(
    '%s: bit j of u64 word w is element 64·w + j, set for x ≥ 0 (0, −0 too; NaN clear)',
    (b) => {
      const x = new Float32Array(70).fill(-1);
      x[0] = 1;
      x[2] = 0;
      x[3] = -0;
      x[4] = NaN;
      x[31] = 5;
      x[32] = 0.5;
      x[63] = 1;
      x[64] = 2;
      x[69] = 3;
      on(b, () => {
        const bits = packSigns(tensor(x, [1, 70]));
        expect(bits.dtype).toBe('int32');
        expect(bits.shape).toEqual([1, 4]);
        // int32 words: 2w is the low half of u64 word w; the padding past element 69 stays clear
        expect(words(bits)).toEqual([1 | 4 | 8 | (1 << 31) | 0, 1 | (1 << 31), 1 | (1 << 5), 0]);
      });
    },
  );

  it.each(BACKENDS)('%s: packs every row of a rank-3 tensor along its last axis', (b) => {
    on(b, () => {
      const bits = packSigns(tensor([1, -1, -1, 1, 1, 1], [3, 1, 2]));
      expect(bits.shape).toEqual([3, 1, 2]);
      expect(words(bits)).toEqual([1, 0, 2, 0, 3, 0]);
    });
  });

  it('cpu and wasm pack the same words, and unpack(pack(x)) = sign(x) (fuzzed shapes and values)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 300 }),
        fc.nat(),
        (rows, k, seed) => {
          const x = values(rows * k, seed);
          const [cpuBits, cpuBack] = on('cpu', () => {
            const bits = packSigns(tensor(x, [rows, k]));
            return [words(bits), Array.from(unpackSigns(bits, k).dataSync())];
          });
          const [wasmBits, wasmBack] = on('wasm', () => {
            const bits = packSigns(tensor(x, [rows, k]));
            return [words(bits), Array.from(unpackSigns(bits, k).dataSync())];
          });
          const signs = Array.from(x, (v) => (v >= 0 ? 1 : -1));
          expect(wasmBits).toEqual(cpuBits);
          expect(cpuBack).toEqual(signs);
          expect(wasmBack).toEqual(signs);
        },
      ),
      { seed: 24, numRuns: 200 },
    );
  });

  it('pack(unpack(bits)) = bits for any words with clear padding (fuzzed)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { minLength: 8, maxLength: 8 }),
        (k, raw) => {
          const w = packedWords(k);
          const bits = new Int32Array(w);
          for (let i = 0; i < w; i++) {
            const live = Math.min(32, Math.max(0, k - 32 * i));
            bits[i] = live === 32 ? raw[i % 8]! : raw[i % 8]! & ((1 << live) - 1);
          }
          for (const b of BACKENDS) {
            const again = on(b, () => words(packSigns(unpackSigns(tensor(bits, [1, w], 'int32'), k))));
            expect(again).toEqual(Array.from(bits));
          }
        },
      ),
      { seed: 24, numRuns: 300 },
    );
  });

  it('refuses bad input in one line', () => {
    expect(() => packSigns(tensor([], [2, 0]))).toThrow(
      'packSigns: x of shape [2, 0]; expected [..., K] with K ≥ 1',
    );
    expect(() => packSigns(tensor(new Int32Array([1]), [1], 'int32'))).toThrow('packSigns');
    expect(() => unpackSigns(tensor(new Int32Array(2), [1, 2], 'int32'), 65)).toThrow(
      'unpackSigns: bits of shape [1, 2]; expected [..., 4] (2·⌈65/64⌉ int32 words of 65 packed signs)',
    );
    expect(() => unpackSigns(tensor(new Int32Array(2), [1, 2], 'int32'), 0)).toThrow(
      'unpackSigns: size=0; expected the unpacked length K, an integer ≥ 1',
    );
    expect(() => unpackSigns(tensor([1, 2], [1, 2]), 3)).toThrow(
      'unpackSigns: bits is float32; expected the int32 words of packSigns',
    );
  });
});

describe('binaryMatMul', () => {
  /** sign(a)·sign(b)ᵀ by the float matmul and by the packed kernel, on `backend`. */
  function both(
    backend: string,
    m: number,
    n: number,
    k: number,
    seed: number,
  ): [Float32Array, Float32Array] {
    return on(backend, () => {
      const a = tensor(values(m * k, seed), [m, k]);
      const b = tensor(values(n * k, seed + 1), [n, k]);
      const float = matmul(sign(a), sign(b), { transposeB: true }).dataSync().slice() as Float32Array;
      const packed = binaryMatMul(packSigns(a), packSigns(b), k).dataSync().slice() as Float32Array;
      return [float, packed];
    });
  }

  it.each(BACKENDS)(
    '%s: equals the float ±1 matmul exactly for K = 1 … 200 (every tail), odd M and N',
    (b) => {
      for (let k = 1; k <= 200; k++) {
        const [m, n] = [1 + (k % 7), 1 + ((3 * k) % 11)];
        const [float, packed] = both(b, m, n, k, k);
        expect(packed.length).toBe(m * n);
        expect(Array.from(packed)).toEqual(Array.from(float));
      }
    },
  );

  it.each(BACKENDS)('%s: equals the float ±1 matmul at 37 x 29 x 1000 and 131 x 3 x 777', (b) => {
    for (const [m, n, k] of [
      [37, 29, 1000],
      [131, 3, 777],
    ] as const) {
      const [float, packed] = both(b, m, n, k, 5);
      expect(Array.from(packed)).toEqual(Array.from(float));
    }
  });

  it('gives the same bits on 1, 2, 3 and 4 wasm threads (column and row splits)', () => {
    const cutoffs = (engine().findBackend('wasm') as WasmBackend).minParallelWork;
    const saved = { ...cutoffs };
    cutoffs.binaryGemm = 0;
    cutoffs.packSigns = 0;
    try {
      for (const [m, n, k] of [
        [13, 301, 333],
        [301, 13, 65],
      ] as const) {
        const run = (threads: number): number[] => {
          setThreads(threads);
          return on('wasm', () => {
            const a = packSigns(tensor(values(m * k, 3), [m, k]));
            const b = packSigns(tensor(values(n * k, 4), [n, k]));
            return Array.from(binaryMatMul(a, b, k).dataSync());
          });
        };
        const one = run(1);
        for (const threads of [2, 3, 4]) expect(run(threads)).toEqual(one);
        expect(one).toEqual(Array.from(both('cpu', m, n, k, 3)[0]));
      }
    } finally {
      Object.assign(cutoffs, saved);
      setThreads(1);
    }
  });

  it('refuses mismatched operands in one line', () => {
    const a = tensor(new Int32Array(6), [3, 2], 'int32');
    expect(() => binaryMatMul(a, tensor(new Int32Array(4), [1, 4], 'int32'), 64)).toThrow(
      'binaryMatMul: b of shape [1, 4]; expected [..., 2] (2·⌈64/64⌉ int32 words of 64 packed signs)',
    );
    expect(() => binaryMatMul(a, tensor(new Int32Array(2), [2], 'int32'), 64)).toThrow(
      'binaryMatMul: b of shape [2]; expected a rank-2 [rows, 2] packed operand',
    );
    expect(() => binaryMatMul(a, a, 64.5)).toThrow('binaryMatMul: size=64.5');
  });

  it("binaryPeak runs the GEMM's micro-tile: k − 2·popcount(a ⊕ b) for each of the 2 x 4 pairs, on every thread", () => {
    const backend = engine().findBackend('wasm') as WasmBackend;
    const { exports } = backend;
    expect(exports.binaryTilePairs()).toBe(8);
    const words = 3;
    // A's 2-row panel, then B's 4-row panel, word-major: word w of panel row r at (w·rows + r).
    const panel = Int32Array.from(values(2 * 6 * words, 9), (v, i) => Math.round(v * 0x7fffffff) ^ (i << 7));
    const panels = exports.alloc(panel.byteLength);
    const out = exports.alloc(2 * 128); // a 128-byte slot per thread
    try {
      new Int32Array(exports.memory.buffer, panels, panel.length).set(panel);
      const word = (row: number, w: number, rows: number, at: number): [number, number] => [
        panel[2 * (at + w * rows + row)]!,
        panel[2 * (at + w * rows + row) + 1]!,
      ];
      const expected: number[] = [];
      for (let r = 0; r < 2; r++) {
        for (let c = 0; c < 4; c++) {
          let count = 0;
          for (let w = 0; w < words; w++) {
            const [a0, a1] = word(r, w, 2, 0);
            const [b0, b1] = word(c, w, 4, 2 * words);
            count += popcount32(a0 ^ b0) + popcount32(a1 ^ b1);
          }
          expected.push(64 * words - 2 * count);
        }
      }
      setThreads(2);
      backend.parallel('binaryPeak', Infinity, [3, words, panels, out]);
      for (const thread of [0, 1])
        expect(Array.from(new Float32Array(exports.memory.buffer, out + 128 * thread, 8))).toEqual(expected);
    } finally {
      setThreads(1);
      exports.free(panels);
      exports.free(out);
    }
  });

  it('popcount32 counts set bits of any 32-bit word', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (v) => {
        let count = 0;
        for (let j = 0; j < 32; j++) count += (v >>> j) & 1;
        expect(popcount32(v)).toBe(count);
      }),
      { seed: 24, numRuns: 1000 },
    );
  });

  it('the cpu and wasm backends have the bit-packed kernels; a backend without them refuses in one line', () => {
    for (const b of BACKENDS) expect(engine().withBackend(b, binaryKernelsAvailable)).toBe(true);
    // like the gpu backend: no bit kernels registered under its name
    registerBackend({ ...CPU_BACKEND, extraKernels: [] }, { name: 'no-bits', priority: 0 });
    engine().withBackend('no-bits', () => {
      expect(binaryKernelsAvailable()).toBe(false);
      expect(() => packSigns(tensor([1, -1], [1, 2]))).toThrow(
        "packSigns: backend 'no-bits' has no bit-packed kernels; expected cpu or wasm",
      );
    });
  });
});

describe('binaryConv2d', () => {
  interface Case {
    readonly x: [number, number, number, number];
    readonly o: number;
    readonly kernel: [number, number];
    readonly stride: [number, number];
    readonly padding: [number, number];
  }
  // Odd channel counts, padding, strides, K = C·kh·kw not a multiple of 64 (and one that is: 64),
  // one output position per image, an image narrower than the window with padding.
  const CASES: readonly Case[] = [
    { x: [2, 3, 7, 9], o: 5, kernel: [3, 3], stride: [1, 1], padding: [1, 1] },
    { x: [3, 5, 8, 6], o: 7, kernel: [3, 2], stride: [2, 1], padding: [0, 1] },
    { x: [1, 7, 11, 10], o: 3, kernel: [5, 5], stride: [2, 3], padding: [2, 1] },
    { x: [2, 16, 5, 5], o: 9, kernel: [2, 2], stride: [1, 1], padding: [0, 0] },
    { x: [4, 1, 3, 3], o: 2, kernel: [3, 3], stride: [1, 1], padding: [0, 0] },
    { x: [1, 33, 2, 3], o: 4, kernel: [3, 3], stride: [1, 1], padding: [1, 1] },
  ];

  /**
   * conv2d of the ±1 signs with +1 padding: by the float conv (zero padding, plus the filters' taps
   * in the padding: all taps over a ones image as large as the padded one, less the inside ones), and
   * by the packed kernel.
   */
  function both(backend: string, c: Case, seed: number): [Float32Array, Float32Array] {
    return on(backend, () => {
      const x = tensor(
        values(
          c.x.reduce((p, v) => p * v),
          seed,
        ),
        c.x,
      );
      const w = sign(
        tensor(values(c.o * c.x[1] * c.kernel[0] * c.kernel[1], seed + 1), [c.o, c.x[1], ...c.kernel]),
      );
      const attrs = { stride: c.stride, padding: c.padding };
      const zeroPadded = conv2d(sign(x), w, attrs);
      const inside = conv2d(ones([1, c.x[1], c.x[2], c.x[3]]), w, attrs);
      const outside = sub(
        conv2d(ones([1, c.x[1], c.x[2] + 2 * c.padding[0], c.x[3] + 2 * c.padding[1]]), w, {
          stride: c.stride,
        }),
        inside,
      );
      const float = add(zeroPadded, outside);
      const packed = binaryConv2d(x, packSigns(reshape(w, [c.o, -1])), { kernelSize: c.kernel, ...attrs });
      expect(packed.shape).toEqual(float.shape);
      return [float.dataSync().slice() as Float32Array, packed.dataSync().slice() as Float32Array];
    });
  }

  it.each(BACKENDS)(
    '%s: equals the float ±1 conv2d (padding taps +1) on odd shapes, strides and K tails',
    (b) => {
      CASES.forEach((c, i) => {
        const [float, packed] = both(b, c, 10 + i);
        expect(Array.from(packed)).toEqual(Array.from(float));
      });
    },
  );

  it('gives the same bits on 1, 2, 3 and 4 wasm threads, equal to cpu', () => {
    const cutoffs = (engine().findBackend('wasm') as WasmBackend).minParallelWork;
    const saved = { ...cutoffs };
    cutoffs.binaryGemm = 0;
    cutoffs.packIm2col = 0;
    try {
      CASES.forEach((c, i) => {
        const run = (threads: number): number[] => {
          setThreads(threads);
          return Array.from(both('wasm', c, 20 + i)[1]);
        };
        const one = run(1);
        for (const threads of [2, 3, 4]) expect(run(threads)).toEqual(one);
        expect(one).toEqual(Array.from(both('cpu', c, 20 + i)[1]));
      });
    } finally {
      Object.assign(cutoffs, saved);
      setThreads(1);
    }
  });

  it('refuses mismatched operands in one line', () => {
    const x = tensor(new Float32Array(2 * 3 * 4 * 4), [2, 3, 4, 4]);
    expect(() => binaryConv2d(x, tensor(new Int32Array(4), [2, 2], 'int32'), { kernelSize: 5 })).toThrow(
      'binaryConv2d: w of shape [2, 2]; expected [..., 4] (2·⌈75/64⌉ int32 words of 75 packed signs)',
    );
    expect(() => binaryConv2d(x, tensor(new Float32Array(4), [2, 2]), { kernelSize: 3 })).toThrow(
      'binaryConv2d: w is float32; expected the int32 words of packSigns',
    );
  });
});
