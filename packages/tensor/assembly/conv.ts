// im2col / col2im and the convolution kernels built on them plus GEMM, one image at a time:
// forward y[n] = W·cols(x[n]); input gradient dx[n] = col2im(Wᵀ·dy[n]); filter gradient
// dW = Σₙ dy[n]·cols(x[n])ᵀ, with W seen as the [O, C·kh·kw] matrix.
import { gemm } from './gemm';
import { Scratch } from './memory';
import { at4 } from './plan';
import { Geometry, validHi, validLo } from './window';

const columns = new Scratch();

/** Unfolds image `image` of x into rows of `cols` (row stride `ld`) starting at column `colStart`. */
export function im2colImage(x: usize, image: i32, g: Geometry, cols: usize, colStart: i32, ld: i32): void {
  let row = 0;
  const area = g.oh * g.ow;
  for (let c = 0; c < g.c; c++) {
    const plane = (image * g.c + c) * g.h * g.w;
    for (let i = 0; i < g.kh; i++) {
      const oyLo = validLo(g.oh, g.sh, g.ph, i * g.dh);
      const oyHi = validHi(g.oh, g.sh, g.ph, i * g.dh, g.h);
      for (let j = 0; j < g.kw; j++, row++) {
        const oxLo = validLo(g.ow, g.sw, g.pw, j * g.dw);
        const oxHi = validHi(g.ow, g.sw, g.pw, j * g.dw, g.w);
        const rowStart = row * ld + colStart;
        memory.fill(at4(cols, rowStart), 0, (<usize>area) << 2);
        for (let oy = oyLo; oy < oyHi; oy++) {
          const src = plane + (oy * g.sh - g.ph + i * g.dh) * g.w - g.pw + j * g.dw;
          const dst = rowStart + oy * g.ow;
          if (g.sw == 1) memory.copy(at4(cols, dst + oxLo), at4(x, src + oxLo), (<usize>(oxHi - oxLo)) << 2);
          else
            for (let ox = oxLo; ox < oxHi; ox++)
              store<f32>(at4(cols, dst + ox), load<f32>(at4(x, src + ox * g.sw)));
        }
      }
    }
  }
}

/** Adds every column entry back onto the input position it was read from (x zeroed by the caller). */
export function col2imImage(cols: usize, colStart: i32, ld: i32, g: Geometry, x: usize, image: i32): void {
  let row = 0;
  for (let c = 0; c < g.c; c++) {
    const plane = (image * g.c + c) * g.h * g.w;
    for (let i = 0; i < g.kh; i++) {
      const oyLo = validLo(g.oh, g.sh, g.ph, i * g.dh);
      const oyHi = validHi(g.oh, g.sh, g.ph, i * g.dh, g.h);
      for (let j = 0; j < g.kw; j++, row++) {
        const oxLo = validLo(g.ow, g.sw, g.pw, j * g.dw);
        const oxHi = validHi(g.ow, g.sw, g.pw, j * g.dw, g.w);
        const rowStart = row * ld + colStart;
        for (let oy = oyLo; oy < oyHi; oy++) {
          const dst = plane + (oy * g.sh - g.ph + i * g.dh) * g.w - g.pw + j * g.dw;
          const src = rowStart + oy * g.ow;
          for (let ox = oxLo; ox < oxHi; ox++) {
            const d = at4(x, dst + ox * g.sw);
            store<f32>(d, load<f32>(d) + load<f32>(at4(cols, src + ox)));
          }
        }
      }
    }
  }
}

/** im2col of the whole batch: cols is [C·kh·kw, N·OH·OW]. */
export function im2col(x: usize, g: Geometry, cols: usize): void {
  const area = g.oh * g.ow;
  for (let n = 0; n < g.n; n++) im2colImage(x, n, g, cols, n * area, g.n * area);
}

/** col2im of the whole batch into x (zeroed here). */
export function col2im(cols: usize, g: Geometry, x: usize): void {
  const area = g.oh * g.ow;
  memory.fill(x, 0, (<usize>(g.n * g.c * g.h * g.w)) << 2);
  for (let n = 0; n < g.n; n++) col2imImage(cols, n * area, g.n * area, g, x, n);
}

export function conv2d(x: usize, w: usize, y: usize, g: Geometry): void {
  const depth = g.c * g.kh * g.kw;
  const area = g.oh * g.ow;
  const cols = columns.get((<usize>(depth * area)) << 2);
  for (let n = 0; n < g.n; n++) {
    im2colImage(x, n, g, cols, 0, area);
    gemm(
      g.outChannels,
      area,
      depth,
      w,
      depth,
      1,
      cols,
      area,
      1,
      at4(y, n * g.outChannels * area),
      area,
      false,
    );
  }
}

export function conv2dBackpropInput(dy: usize, w: usize, dx: usize, g: Geometry): void {
  const depth = g.c * g.kh * g.kw;
  const area = g.oh * g.ow;
  const cols = columns.get((<usize>(depth * area)) << 2);
  memory.fill(dx, 0, (<usize>(g.n * g.c * g.h * g.w)) << 2);
  for (let n = 0; n < g.n; n++) {
    gemm(
      depth,
      area,
      g.outChannels,
      w,
      1,
      depth,
      at4(dy, n * g.outChannels * area),
      area,
      1,
      cols,
      area,
      false,
    );
    col2imImage(cols, 0, area, g, dx, n);
  }
}

export function conv2dBackpropFilter(x: usize, dy: usize, dw: usize, g: Geometry): void {
  const depth = g.c * g.kh * g.kw;
  const area = g.oh * g.ow;
  const cols = columns.get((<usize>(depth * area)) << 2);
  for (let n = 0; n < g.n; n++) {
    im2colImage(x, n, g, cols, 0, area);
    gemm(
      g.outChannels,
      depth,
      area,
      at4(dy, n * g.outChannels * area),
      area,
      1,
      cols,
      1,
      area,
      dw,
      depth,
      n > 0,
    );
  }
  if (g.n == 0) memory.fill(dw, 0, (<usize>(g.outChannels * depth)) << 2);
}
