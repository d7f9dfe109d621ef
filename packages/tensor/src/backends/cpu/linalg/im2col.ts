import { validOutputRange, type WindowGeometry } from '../../../geometry/window';

/**
 * One run of a column row that reads the input: `count` entries of `cols` from `colAt` on, which
 * pair with the inputs `xAt, xAt + stride, …` of `x`.
 */
type Run = (colAt: number, xAt: number, count: number, stride: number) => void;

/**
 * Walks image `image`'s column rows (geometry `g`, the layout of `im2colImage`), calling `row` with
 * the start of each column row (its `oh·ow` entries) and `run` for each of its runs over one output
 * row that reads the input (the entries left out read padding). One call per output row, so the
 * element loops stay in the callers.
 */
function walkColumns(
  g: WindowGeometry,
  image: number,
  colStart: number,
  ld: number,
  row: (colAt: number) => void,
  run: Run,
): void {
  const { c: channels, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow } = g;
  let r = 0;
  for (let c = 0; c < channels; c++) {
    const plane = (image * channels + c) * h * w;
    for (let i = 0; i < kh; i++) {
      const [oyLo, oyHi] = validOutputRange(oh, sh, ph, i * dh, h);
      for (let j = 0; j < kw; j++, r++) {
        const [oxLo, oxHi] = validOutputRange(ow, sw, pw, j * dw, w);
        const rowStart = r * ld + colStart;
        row(rowStart);
        if (oxHi <= oxLo) continue;
        for (let oy = oyLo; oy < oyHi; oy++) {
          run(
            rowStart + oy * ow + oxLo,
            plane + (oy * sh - ph + i * dh) * w - pw + j * dw + oxLo * sw,
            oxHi - oxLo,
            sw,
          );
        }
      }
    }
  }
}

/** Does nothing (a row start that needs no work). */
const noRow = (): void => {};

/**
 * Unfolds image `image` of `x` (`[N, C, H, W]`, geometry `g`) into columns: row
 * `(c·kh + i)·kw + j` of `cols` holds input `(c, oy·sh − ph + i·dh, ox·sw − pw + j·dw)` at column
 * `colStart + oy·ow + ox` (zero where the window reads padding). `ld` is the row stride of `cols`,
 * so one image can fill its own block of a batch-wide column matrix.
 */
export function im2colImage(
  x: Float32Array,
  image: number,
  g: WindowGeometry,
  cols: Float32Array,
  colStart: number,
  ld: number,
): void {
  const area = g.oh * g.ow;
  walkColumns(
    g,
    image,
    colStart,
    ld,
    (colAt) => cols.fill(0, colAt, colAt + area),
    (colAt, xAt, count, stride) => {
      for (let k = 0; k < count; k++) cols[colAt + k] = x[xAt + k * stride]!;
    },
  );
}

/**
 * The adjoint of `im2colImage`: adds every column entry back onto the input position it was read
 * from, so overlapping windows sum. Padding entries are dropped. `x` must be zeroed by the caller.
 */
export function col2imImage(
  cols: Float32Array,
  colStart: number,
  ld: number,
  g: WindowGeometry,
  x: Float32Array,
  image: number,
): void {
  walkColumns(g, image, colStart, ld, noRow, (colAt, xAt, count, stride) => {
    for (let k = 0; k < count; k++) x[xAt + k * stride] = x[xAt + k * stride]! + cols[colAt + k]!;
  });
}
