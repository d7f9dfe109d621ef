import type { KernelDef } from '../../../backend/interface';
import { assertShape } from '../../../geometry/conv';
import {
  poolGeometry,
  type AvgPoolBackwardAttrs,
  type PoolAttrs,
  type WindowGeometry,
} from '../../../geometry/window';
import { output } from '../io';
import { readFloat32 } from '../linalg/io';

/**
 * The flat index in `x` of the maximum of the window of output `(oy, ox)` over the plane starting
 * at `plane`. Padding counts as −∞; on ties the first maximum in row-major window order wins and a
 * NaN wins over numbers (both as in PyTorch).
 */
function windowArgmax(x: Float32Array, plane: number, g: WindowGeometry, oy: number, ox: number): number {
  const y0 = oy * g.sh - g.ph;
  const x0 = ox * g.sw - g.pw;
  const iLo = Math.max(0, -y0);
  const iHi = Math.min(g.kh, g.h - y0);
  const jLo = Math.max(0, -x0);
  const jHi = Math.min(g.kw, g.w - x0);
  let at = plane + (y0 + iLo) * g.w + x0 + jLo;
  let best = -Infinity;
  for (let i = iLo; i < iHi; i++) {
    const row = plane + (y0 + i) * g.w + x0;
    for (let j = jLo; j < jHi; j++) {
      const v = x[row + j]!;
      if (v > best || v !== v) {
        best = v;
        at = row + j;
      }
    }
  }
  return at;
}

/** Sum of the real (unpadded) elements of the window of output `(oy, ox)` over the plane at `plane`. */
function windowSum(x: Float32Array, plane: number, g: WindowGeometry, oy: number, ox: number): number {
  const y0 = oy * g.sh - g.ph;
  const x0 = ox * g.sw - g.pw;
  const jLo = Math.max(0, -x0);
  const jHi = Math.min(g.kw, g.w - x0);
  let sum = 0;
  for (let i = Math.max(0, -y0), iHi = Math.min(g.kh, g.h - y0); i < iHi; i++) {
    const row = plane + (y0 + i) * g.w + x0;
    for (let j = jLo; j < jHi; j++) sum += x[row + j]!;
  }
  return sum;
}

/** Adds `value` to every real element of the window of output `(oy, ox)` over the plane at `plane`. */
function windowSpread(
  dx: Float32Array,
  plane: number,
  g: WindowGeometry,
  oy: number,
  ox: number,
  value: number,
): void {
  const y0 = oy * g.sh - g.ph;
  const x0 = ox * g.sw - g.pw;
  const jLo = Math.max(0, -x0);
  const jHi = Math.min(g.kw, g.w - x0);
  for (let i = Math.max(0, -y0), iHi = Math.min(g.kh, g.h - y0); i < iHi; i++) {
    const row = plane + (y0 + i) * g.w + x0;
    for (let j = jLo; j < jHi; j++) dx[row + j] = dx[row + j]! + value;
  }
}

/** The pooled shape `[N, C, OH, OW]`. */
function pooledShape(g: WindowGeometry): number[] {
  return [g.n, g.c, g.oh, g.ow];
}

/**
 * CPU kernels of the pool family: direct loops over each window. Average pooling divides by the
 * full window size `kh·kw`, padding included (PyTorch's default `count_include_pad`).
 */
export const poolKernels: KernelDef[] = [
  {
    kernelName: 'maxPool2d',
    kernelFunc: ([x], attrs: PoolAttrs, backend) => {
      const g = poolGeometry('maxPool2d', x!.shape, attrs);
      const xData = readFloat32(backend, x!, 'maxPool2d');
      const y = new Float32Array(g.n * g.c * g.oh * g.ow);
      let out = 0;
      for (let plane = 0; plane < xData.length; plane += g.h * g.w) {
        for (let oy = 0; oy < g.oh; oy++) {
          for (let ox = 0; ox < g.ow; ox++) y[out++] = xData[windowArgmax(xData, plane, g, oy, ox)]!;
        }
      }
      return output(backend, y, pooledShape(g));
    },
  } satisfies KernelDef<PoolAttrs>,
  {
    kernelName: 'maxPool2dBackward',
    kernelFunc: ([dy, x], attrs: PoolAttrs, backend) => {
      const op = 'maxPool2dBackward';
      const g = poolGeometry(op, x!.shape, attrs);
      assertShape(op, 'dy', dy!.shape, pooledShape(g));
      const xData = readFloat32(backend, x!, op);
      const dyData = readFloat32(backend, dy!, op);
      const dx = new Float32Array(xData.length);
      let out = 0;
      for (let plane = 0; plane < xData.length; plane += g.h * g.w) {
        for (let oy = 0; oy < g.oh; oy++) {
          for (let ox = 0; ox < g.ow; ox++) {
            const at = windowArgmax(xData, plane, g, oy, ox);
            dx[at] = dx[at]! + dyData[out++]!;
          }
        }
      }
      return output(backend, dx, x!.shape);
    },
  } satisfies KernelDef<PoolAttrs>,
  {
    kernelName: 'avgPool2d',
    kernelFunc: ([x], attrs: PoolAttrs, backend) => {
      const g = poolGeometry('avgPool2d', x!.shape, attrs);
      const xData = readFloat32(backend, x!, 'avgPool2d');
      const scale = 1 / (g.kh * g.kw);
      const y = new Float32Array(g.n * g.c * g.oh * g.ow);
      let out = 0;
      for (let plane = 0; plane < xData.length; plane += g.h * g.w) {
        for (let oy = 0; oy < g.oh; oy++) {
          for (let ox = 0; ox < g.ow; ox++) y[out++] = windowSum(xData, plane, g, oy, ox) * scale;
        }
      }
      return output(backend, y, pooledShape(g));
    },
  } satisfies KernelDef<PoolAttrs>,
  {
    kernelName: 'avgPool2dBackward',
    kernelFunc: ([dy], attrs: AvgPoolBackwardAttrs, backend) => {
      const op = 'avgPool2dBackward';
      const g = poolGeometry(op, attrs.inputShape, attrs);
      assertShape(op, 'dy', dy!.shape, pooledShape(g));
      const dyData = readFloat32(backend, dy!, op);
      const scale = 1 / (g.kh * g.kw);
      const dx = new Float32Array(g.n * g.c * g.h * g.w);
      let out = 0;
      for (let plane = 0; plane < dx.length; plane += g.h * g.w) {
        for (let oy = 0; oy < g.oh; oy++) {
          for (let ox = 0; ox < g.ow; ox++) windowSpread(dx, plane, g, oy, ox, dyData[out++]! * scale);
        }
      }
      return output(backend, dx, attrs.inputShape);
    },
  } satisfies KernelDef<AvgPoolBackwardAttrs>,
];
