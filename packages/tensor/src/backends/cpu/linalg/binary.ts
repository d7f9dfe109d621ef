// The cpu twins of the wasm bit-packed kernels (assembly/binary.ts), on int32 words: bit j of
// int32 word i of a packed row is element 32·i + j (bit j of u64 word w is element 64·w + j),
// set for a value ≥ 0; a row has 2·⌈k/64⌉ words and its padding bits are clear.
import { packedWords } from '../../../geometry/binary';
import type { WindowGeometry } from '../../../geometry/window';

/** Set bits of a 32-bit word (SWAR). */
export function popcount32(v: number): number {
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/** Packs the signs of `rows` rows of `k` values of `x` into `out` (2·⌈k/64⌉ words per row). */
export function packSignsInto(x: Float32Array, rows: number, k: number, out: Int32Array): void {
  const words = packedWords(k);
  out.fill(0, 0, rows * words);
  for (let r = 0; r < rows; r++) {
    const src = r * k;
    const dst = r * words;
    for (let e = 0; e < k; e++) if (x[src + e]! >= 0) out[dst + (e >>> 5)]! |= 1 << (e & 31);
  }
}

/** Writes ±1 for the `k` values of each of `rows` packed rows of `bits` into `out`. */
export function unpackSignsInto(bits: Int32Array, rows: number, k: number, out: Float32Array): void {
  const words = packedWords(k);
  for (let r = 0; r < rows; r++) {
    const src = r * words;
    const dst = r * k;
    for (let e = 0; e < k; e++) out[dst + e] = (bits[src + (e >>> 5)]! >>> (e & 31)) & 1 ? 1 : -1;
  }
}

/**
 * C = A·Bᵀ over ±1 values: `m` packed rows of A by `n` packed rows of B, `k` values each; C is
 * `m x n` row-major, c[i·n + j] = k − 2·popcount(a_i ⊕ b_j).
 */
export function binaryGemm(
  m: number,
  n: number,
  k: number,
  a: Int32Array,
  b: Int32Array,
  c: Float32Array,
): void {
  const words = packedWords(k);
  for (let i = 0; i < m; i++) {
    const ai = i * words;
    for (let j = 0; j < n; j++) {
      const bj = j * words;
      let count = 0;
      for (let w = 0; w < words; w++) count += popcount32(a[ai + w]! ^ b[bj + w]!);
      c[i * n + j] = k - 2 * count;
    }
  }
}

/**
 * Packs the signs of the im2col columns of the NCHW images `x` into `out`: row (image, oy, ox)
 * holds the C·kh·kw window values in im2col order (channel, tap row, tap column), 2·⌈C·kh·kw/64⌉
 * words as `packSignsInto`; a tap in the padding packs as +1 (the sign of im2col's zero).
 */
export function packIm2colInto(x: Float32Array, g: WindowGeometry, out: Int32Array): void {
  const words = packedWords(g.c * g.kh * g.kw);
  const positions = g.n * g.oh * g.ow;
  out.fill(0, 0, positions * words);
  for (let r = 0; r < positions; r++) {
    const image = Math.floor(r / (g.oh * g.ow));
    const oy = Math.floor(r / g.ow) % g.oh;
    const ox = r % g.ow;
    let e = 0;
    for (let c = 0; c < g.c; c++) {
      for (let i = 0; i < g.kh; i++) {
        const iy = oy * g.sh - g.ph + i * g.dh;
        for (let j = 0; j < g.kw; j++, e++) {
          const ix = ox * g.sw - g.pw + j * g.dw;
          const inside = iy >= 0 && iy < g.h && ix >= 0 && ix < g.w;
          if (!inside || x[((image * g.c + c) * g.h + iy) * g.w + ix]! >= 0) {
            out[r * words + (e >>> 5)]! |= 1 << (e & 31);
          }
        }
      }
    }
  }
}
