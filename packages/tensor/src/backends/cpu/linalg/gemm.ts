import { ScratchBuffer } from './scratch';

/**
 * A strided view of a matrix operand: element `(i, j)` lives at
 * `data[offset + i * rowStride + j * colStride]`. A transposed operand is the same storage with the
 * two strides swapped, so GEMM handles every transpose combination without a copy.
 */
export interface MatrixView {
  readonly data: Float32Array;
  readonly offset: number;
  readonly rowStride: number;
  readonly colStride: number;
}

/** Micro-tile height (rows of C computed per micro-kernel call). */
const MR = 4;
/** Micro-tile width (columns of C computed per micro-kernel call). */
const NR = 8;
/** Depth of one block of the shared dimension K (packed panels stay in L1/L2). */
const KC = 256;
/** Rows of A packed at a time. */
const MC = 128;
/** Columns of B packed at a time. */
const NC = 512;

const packedA = new ScratchBuffer((size) => new Float64Array(size));
const packedB = new ScratchBuffer((size) => new Float64Array(size));
/** Holds a partial tile at the right or bottom edge of C before its valid corner is stored. */
const edgeTile = new Float64Array(MR * NR);

/**
 * Packs `lines` consecutive lines of a matrix (rows of A, or columns of B), each `depth` long,
 * into micro-panels of `width` lines stored depth-major (`width` consecutive values per depth
 * step), as the micro-kernel reads them. Line `l` starts at `data[start + l * lineStride]` and
 * steps by `depthStride`. The last panel is zero-padded so the micro-kernel has no edge case.
 */
function packPanels(
  data: Float32Array,
  start: number,
  lineStride: number,
  depthStride: number,
  lines: number,
  depth: number,
  width: number,
  out: Float64Array,
): void {
  let dst = 0;
  for (let l0 = 0; l0 < lines; l0 += width) {
    const filled = Math.min(width, lines - l0);
    const base = start + l0 * lineStride;
    for (let p = 0; p < depth; p++) {
      const src = base + p * depthStride;
      let r = 0;
      for (; r < filled; r++) out[dst++] = data[src + r * lineStride]!;
      for (; r < width; r++) out[dst++] = 0;
    }
  }
}

/**
 * The register-tiled core: multiplies one packed `MR x depth` panel of A by one packed
 * `depth x NR` panel of B in 32 local accumulators, then stores (or adds) the valid
 * `rows x cols` corner of the tile into C. Full tiles are stored straight from the accumulators
 * (this matters when the depth is small, as in the input gradient of a conv with few filters).
 */
function microKernel(
  depth: number,
  pa: Float64Array,
  aStart: number,
  pb: Float64Array,
  bStart: number,
  c: Float32Array,
  cStart: number,
  ldc: number,
  rows: number,
  cols: number,
  accumulate: boolean,
): void {
  let c00 = 0,
    c01 = 0,
    c02 = 0,
    c03 = 0,
    c04 = 0,
    c05 = 0,
    c06 = 0,
    c07 = 0;
  let c10 = 0,
    c11 = 0,
    c12 = 0,
    c13 = 0,
    c14 = 0,
    c15 = 0,
    c16 = 0,
    c17 = 0;
  let c20 = 0,
    c21 = 0,
    c22 = 0,
    c23 = 0,
    c24 = 0,
    c25 = 0,
    c26 = 0,
    c27 = 0;
  let c30 = 0,
    c31 = 0,
    c32 = 0,
    c33 = 0,
    c34 = 0,
    c35 = 0,
    c36 = 0,
    c37 = 0;
  let ai = aStart;
  let bi = bStart;
  for (let p = 0; p < depth; p++) {
    const a0 = pa[ai]!,
      a1 = pa[ai + 1]!,
      a2 = pa[ai + 2]!,
      a3 = pa[ai + 3]!;
    const b0 = pb[bi]!,
      b1 = pb[bi + 1]!,
      b2 = pb[bi + 2]!,
      b3 = pb[bi + 3]!;
    const b4 = pb[bi + 4]!,
      b5 = pb[bi + 5]!,
      b6 = pb[bi + 6]!,
      b7 = pb[bi + 7]!;
    c00 += a0 * b0;
    c01 += a0 * b1;
    c02 += a0 * b2;
    c03 += a0 * b3;
    c04 += a0 * b4;
    c05 += a0 * b5;
    c06 += a0 * b6;
    c07 += a0 * b7;
    c10 += a1 * b0;
    c11 += a1 * b1;
    c12 += a1 * b2;
    c13 += a1 * b3;
    c14 += a1 * b4;
    c15 += a1 * b5;
    c16 += a1 * b6;
    c17 += a1 * b7;
    c20 += a2 * b0;
    c21 += a2 * b1;
    c22 += a2 * b2;
    c23 += a2 * b3;
    c24 += a2 * b4;
    c25 += a2 * b5;
    c26 += a2 * b6;
    c27 += a2 * b7;
    c30 += a3 * b0;
    c31 += a3 * b1;
    c32 += a3 * b2;
    c33 += a3 * b3;
    c34 += a3 * b4;
    c35 += a3 * b5;
    c36 += a3 * b6;
    c37 += a3 * b7;
    ai += MR;
    bi += NR;
  }
  if (rows === MR && cols === NR) {
    const r0 = cStart,
      r1 = r0 + ldc,
      r2 = r1 + ldc,
      r3 = r2 + ldc;
    if (accumulate) {
      c[r0] = c[r0]! + c00;
      c[r0 + 1] = c[r0 + 1]! + c01;
      c[r0 + 2] = c[r0 + 2]! + c02;
      c[r0 + 3] = c[r0 + 3]! + c03;
      c[r0 + 4] = c[r0 + 4]! + c04;
      c[r0 + 5] = c[r0 + 5]! + c05;
      c[r0 + 6] = c[r0 + 6]! + c06;
      c[r0 + 7] = c[r0 + 7]! + c07;
      c[r1] = c[r1]! + c10;
      c[r1 + 1] = c[r1 + 1]! + c11;
      c[r1 + 2] = c[r1 + 2]! + c12;
      c[r1 + 3] = c[r1 + 3]! + c13;
      c[r1 + 4] = c[r1 + 4]! + c14;
      c[r1 + 5] = c[r1 + 5]! + c15;
      c[r1 + 6] = c[r1 + 6]! + c16;
      c[r1 + 7] = c[r1 + 7]! + c17;
      c[r2] = c[r2]! + c20;
      c[r2 + 1] = c[r2 + 1]! + c21;
      c[r2 + 2] = c[r2 + 2]! + c22;
      c[r2 + 3] = c[r2 + 3]! + c23;
      c[r2 + 4] = c[r2 + 4]! + c24;
      c[r2 + 5] = c[r2 + 5]! + c25;
      c[r2 + 6] = c[r2 + 6]! + c26;
      c[r2 + 7] = c[r2 + 7]! + c27;
      c[r3] = c[r3]! + c30;
      c[r3 + 1] = c[r3 + 1]! + c31;
      c[r3 + 2] = c[r3 + 2]! + c32;
      c[r3 + 3] = c[r3 + 3]! + c33;
      c[r3 + 4] = c[r3 + 4]! + c34;
      c[r3 + 5] = c[r3 + 5]! + c35;
      c[r3 + 6] = c[r3 + 6]! + c36;
      c[r3 + 7] = c[r3 + 7]! + c37;
    } else {
      c[r0] = c00;
      c[r0 + 1] = c01;
      c[r0 + 2] = c02;
      c[r0 + 3] = c03;
      c[r0 + 4] = c04;
      c[r0 + 5] = c05;
      c[r0 + 6] = c06;
      c[r0 + 7] = c07;
      c[r1] = c10;
      c[r1 + 1] = c11;
      c[r1 + 2] = c12;
      c[r1 + 3] = c13;
      c[r1 + 4] = c14;
      c[r1 + 5] = c15;
      c[r1 + 6] = c16;
      c[r1 + 7] = c17;
      c[r2] = c20;
      c[r2 + 1] = c21;
      c[r2 + 2] = c22;
      c[r2 + 3] = c23;
      c[r2 + 4] = c24;
      c[r2 + 5] = c25;
      c[r2 + 6] = c26;
      c[r2 + 7] = c27;
      c[r3] = c30;
      c[r3 + 1] = c31;
      c[r3 + 2] = c32;
      c[r3 + 3] = c33;
      c[r3 + 4] = c34;
      c[r3 + 5] = c35;
      c[r3 + 6] = c36;
      c[r3 + 7] = c37;
    }
    return;
  }
  const t = edgeTile;
  t[0] = c00;
  t[1] = c01;
  t[2] = c02;
  t[3] = c03;
  t[4] = c04;
  t[5] = c05;
  t[6] = c06;
  t[7] = c07;
  t[8] = c10;
  t[9] = c11;
  t[10] = c12;
  t[11] = c13;
  t[12] = c14;
  t[13] = c15;
  t[14] = c16;
  t[15] = c17;
  t[16] = c20;
  t[17] = c21;
  t[18] = c22;
  t[19] = c23;
  t[20] = c24;
  t[21] = c25;
  t[22] = c26;
  t[23] = c27;
  t[24] = c30;
  t[25] = c31;
  t[26] = c32;
  t[27] = c33;
  t[28] = c34;
  t[29] = c35;
  t[30] = c36;
  t[31] = c37;
  for (let r = 0; r < rows; r++) {
    const row = cStart + r * ldc;
    if (accumulate) for (let j = 0; j < cols; j++) c[row + j] = c[row + j]! + t[r * NR + j]!;
    else for (let j = 0; j < cols; j++) c[row + j] = t[r * NR + j]!;
  }
}

/**
 * General matrix multiply on float32 storage: `C = A·B`, or `C += A·B` when `accumulate`.
 * A is `m x k`, B is `k x n` (both as strided views, so transposes cost nothing) and C is a dense
 * row-major `m x n` block at `c[cOffset]` with row stride `ldc`.
 *
 * Algorithm (Goto/BLIS style): B is packed in `KC x NC` blocks and A in `MC x KC` blocks into
 * reused scratch buffers, and a 4x8 register-tiled micro-kernel accumulates each tile of C in
 * local variables (float64 in JS) over one K block. Panels are packed as float64 so the hot loop
 * reads doubles directly instead of converting every float32 load. The loops allocate nothing.
 */
export function gemm(
  m: number,
  n: number,
  k: number,
  a: MatrixView,
  b: MatrixView,
  c: Float32Array,
  cOffset: number,
  ldc: number,
  accumulate: boolean,
): void {
  if (m === 0 || n === 0) return;
  if (k === 0) {
    if (!accumulate) for (let i = 0; i < m; i++) c.fill(0, cOffset + i * ldc, cOffset + i * ldc + n);
    return;
  }
  const bufA = packedA.get(Math.min(MC + MR, m + MR) * Math.min(KC, k));
  const bufB = packedB.get(Math.min(NC + NR, n + NR) * Math.min(KC, k));
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      const add = accumulate || pc > 0;
      packPanels(
        b.data,
        b.offset + pc * b.rowStride + jc * b.colStride,
        b.colStride,
        b.rowStride,
        nc,
        kc,
        NR,
        bufB,
      );
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        packPanels(
          a.data,
          a.offset + ic * a.rowStride + pc * a.colStride,
          a.rowStride,
          a.colStride,
          mc,
          kc,
          MR,
          bufA,
        );
        for (let jr = 0; jr < nc; jr += NR) {
          const bStart = jr * kc;
          const cols = Math.min(NR, nc - jr);
          for (let ir = 0; ir < mc; ir += MR) {
            const cStart = cOffset + (ic + ir) * ldc + jc + jr;
            microKernel(kc, bufA, ir * kc, bufB, bStart, c, cStart, ldc, Math.min(MR, mc - ir), cols, add);
          }
        }
      }
    }
  }
}

/** A row-major matrix with `cols` columns at `data[offset]`, optionally read transposed. */
export function rowMajorView(
  data: Float32Array,
  offset: number,
  cols: number,
  transposed: boolean,
): MatrixView {
  return transposed
    ? { data, offset, rowStride: 1, colStride: cols }
    : { data, offset, rowStride: cols, colStride: 1 };
}
