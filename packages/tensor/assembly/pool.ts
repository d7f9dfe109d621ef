// Max and average pooling with their gradients: direct loops over each window. Max pooling treats
// padding as −∞ and keeps the first maximum (a NaN wins); average pooling divides by kh·kw. Thread
// `thread` of `threads` takes a contiguous range of the N·C planes.
import { shareStart } from './parallel';
import { at4 } from './plan';
import { Geometry } from './window';

/** True for 2x2 windows with stride 2 and no padding (LeNet's pooling), which have fast loops. */
function isPair2x2(g: Geometry): bool {
  return g.kh == 2 && g.kw == 2 && g.sh == 2 && g.sw == 2 && g.ph == 0 && g.pw == 0;
}

/** Index of the maximum of the 2x2 window at row start `r0` (same rule as `windowArgmax`). */
function pairArgmax(x: usize, r0: i32, w: i32): i32 {
  let found = r0;
  let best = load<f32>(at4(x, r0));
  // The first element always wins against −∞ (a NaN too), so start from it.
  let v = load<f32>(at4(x, r0 + 1));
  if (v > best || v != v) {
    best = v;
    found = r0 + 1;
  }
  v = load<f32>(at4(x, r0 + w));
  if (v > best || v != v) {
    best = v;
    found = r0 + w;
  }
  v = load<f32>(at4(x, r0 + w + 1));
  if (v > best || v != v) found = r0 + w + 1;
  return found;
}

function windowArgmax(x: usize, plane: i32, g: Geometry, oy: i32, ox: i32): i32 {
  const y0 = oy * g.sh - g.ph;
  const x0 = ox * g.sw - g.pw;
  const iLo = max(0, -y0);
  const iHi = min(g.kh, g.h - y0);
  const jLo = max(0, -x0);
  const jHi = min(g.kw, g.w - x0);
  let best: f32 = -Infinity;
  let found = plane + (y0 + iLo) * g.w + x0 + jLo;
  for (let i = iLo; i < iHi; i++) {
    const row = plane + (y0 + i) * g.w + x0;
    for (let j = jLo; j < jHi; j++) {
      const v = load<f32>(at4(x, row + j));
      if (v > best || v != v) {
        best = v;
        found = row + j;
      }
    }
  }
  return found;
}

export function maxPool(x: usize, y: usize, g: Geometry, thread: i32, threads: i32): void {
  const planes = g.n * g.c;
  const p0 = shareStart(planes, thread, threads);
  const p1 = shareStart(planes, thread + 1, threads);
  let out = p0 * g.oh * g.ow;
  const pair = isPair2x2(g);
  for (let p = p0; p < p1; p++) {
    const plane = p * g.h * g.w;
    if (pair) {
      for (let oy = 0; oy < g.oh; oy++) {
        const r0 = plane + 2 * oy * g.w;
        for (let ox = 0; ox < g.ow; ox++)
          store<f32>(at4(y, out++), load<f32>(at4(x, pairArgmax(x, r0 + 2 * ox, g.w))));
      }
      continue;
    }
    for (let oy = 0; oy < g.oh; oy++) {
      for (let ox = 0; ox < g.ow; ox++)
        store<f32>(at4(y, out++), load<f32>(at4(x, windowArgmax(x, plane, g, oy, ox))));
    }
  }
}

export function maxPoolBackward(
  dy: usize,
  x: usize,
  dx: usize,
  g: Geometry,
  thread: i32,
  threads: i32,
): void {
  const planes = g.n * g.c;
  const p0 = shareStart(planes, thread, threads);
  const p1 = shareStart(planes, thread + 1, threads);
  memory.fill(dx + ((<usize>(p0 * g.h * g.w)) << 2), 0, (<usize>((p1 - p0) * g.h * g.w)) << 2);
  let out = p0 * g.oh * g.ow;
  const pair = isPair2x2(g);
  for (let p = p0; p < p1; p++) {
    const plane = p * g.h * g.w;
    if (pair) {
      for (let oy = 0; oy < g.oh; oy++) {
        const r0 = plane + 2 * oy * g.w;
        for (let ox = 0; ox < g.ow; ox++) {
          const d = at4(dx, pairArgmax(x, r0 + 2 * ox, g.w));
          store<f32>(d, load<f32>(d) + load<f32>(at4(dy, out++)));
        }
      }
      continue;
    }
    for (let oy = 0; oy < g.oh; oy++) {
      for (let ox = 0; ox < g.ow; ox++) {
        const d = at4(dx, windowArgmax(x, plane, g, oy, ox));
        store<f32>(d, load<f32>(d) + load<f32>(at4(dy, out++)));
      }
    }
  }
}

export function avgPool(x: usize, y: usize, g: Geometry, thread: i32, threads: i32): void {
  const scale: f64 = 1 / <f64>(g.kh * g.kw);
  const planes = g.n * g.c;
  const p0 = shareStart(planes, thread, threads);
  const p1 = shareStart(planes, thread + 1, threads);
  let out = p0 * g.oh * g.ow;
  const pair = isPair2x2(g);
  for (let p = p0; p < p1; p++) {
    const plane = p * g.h * g.w;
    if (pair) {
      for (let oy = 0; oy < g.oh; oy++) {
        const r0 = at4(x, plane + 2 * oy * g.w);
        const r1 = r0 + ((<usize>g.w) << 2);
        let ox = 0;
        // Two windows at a time in float64x2 lanes: the same sums (0 + a + b + c + d, in that order).
        const zero = f64x2.splat(0);
        const quarter = f64x2.splat(scale);
        for (; ox + 2 <= g.ow; ox += 2) {
          const c = (<usize>ox) << 3;
          const top = v128.load(r0 + c);
          const bottom = v128.load(r1 + c);
          let sum = f64x2.add(zero, f64x2.promote_low_f32x4(v128.shuffle<f32>(top, top, 0, 2, 0, 2)));
          sum = f64x2.add(sum, f64x2.promote_low_f32x4(v128.shuffle<f32>(top, top, 1, 3, 1, 3)));
          sum = f64x2.add(sum, f64x2.promote_low_f32x4(v128.shuffle<f32>(bottom, bottom, 0, 2, 0, 2)));
          sum = f64x2.add(sum, f64x2.promote_low_f32x4(v128.shuffle<f32>(bottom, bottom, 1, 3, 1, 3)));
          v128.store64_lane(at4(y, out), f32x4.demote_f64x2_zero(f64x2.mul(sum, quarter)), 0);
          out += 2;
        }
        for (; ox < g.ow; ox++) {
          const c = (<usize>ox) << 3;
          let sum: f64 = 0;
          sum += <f64>load<f32>(r0 + c);
          sum += <f64>load<f32>(r0 + c, 4);
          sum += <f64>load<f32>(r1 + c);
          sum += <f64>load<f32>(r1 + c, 4);
          store<f32>(at4(y, out++), <f32>(sum * scale));
        }
      }
      continue;
    }
    for (let oy = 0; oy < g.oh; oy++) {
      const y0 = oy * g.sh - g.ph;
      for (let ox = 0; ox < g.ow; ox++) {
        const x0 = ox * g.sw - g.pw;
        let sum: f64 = 0;
        for (let i = max(0, -y0), iHi = min(g.kh, g.h - y0); i < iHi; i++) {
          const row = plane + (y0 + i) * g.w + x0;
          for (let j = max(0, -x0), jHi = min(g.kw, g.w - x0); j < jHi; j++)
            sum += <f64>load<f32>(at4(x, row + j));
        }
        store<f32>(at4(y, out++), <f32>(sum * scale));
      }
    }
  }
}

export function avgPoolBackward(dy: usize, dx: usize, g: Geometry, thread: i32, threads: i32): void {
  const scale: f64 = 1 / <f64>(g.kh * g.kw);
  const planes = g.n * g.c;
  const p0 = shareStart(planes, thread, threads);
  const p1 = shareStart(planes, thread + 1, threads);
  const pair = isPair2x2(g);
  // 2x2 windows over even sizes cover every element: no zeros to write first.
  if (!pair || (g.h & 1) != 0 || (g.w & 1) != 0)
    memory.fill(dx + ((<usize>(p0 * g.h * g.w)) << 2), 0, (<usize>((p1 - p0) * g.h * g.w)) << 2);
  let out = p0 * g.oh * g.ow;
  for (let p = p0; p < p1; p++) {
    const plane = p * g.h * g.w;
    if (pair) {
      // Windows do not overlap: every covered element gets 0 + value (float32 rounds 0 + v·¼ as
      // float64 does, a single rounding; adding 0 turns −0 into +0 in both).
      const zero = f32x4.splat(0);
      const quarter = f32x4.splat(<f32>scale);
      for (let oy = 0; oy < g.oh; oy++) {
        const r0 = at4(dx, plane + 2 * oy * g.w);
        const r1 = r0 + ((<usize>g.w) << 2);
        let ox = 0;
        for (; ox + 4 <= g.ow; ox += 4) {
          const v = f32x4.add(zero, f32x4.mul(v128.load(at4(dy, out)), quarter));
          const lo = v128.shuffle<f32>(v, v, 0, 0, 1, 1);
          const hi = v128.shuffle<f32>(v, v, 2, 2, 3, 3);
          const c = (<usize>ox) << 3;
          v128.store(r0 + c, lo);
          v128.store(r0 + c, hi, 16);
          v128.store(r1 + c, lo);
          v128.store(r1 + c, hi, 16);
          out += 4;
        }
        for (; ox < g.ow; ox++) {
          const value = <f32>(<f64>0 + <f64>load<f32>(at4(dy, out++)) * scale);
          const c = (<usize>ox) << 3;
          store<f32>(r0 + c, value);
          store<f32>(r0 + c, value, 4);
          store<f32>(r1 + c, value);
          store<f32>(r1 + c, value, 4);
        }
      }
      continue;
    }
    for (let oy = 0; oy < g.oh; oy++) {
      const y0 = oy * g.sh - g.ph;
      for (let ox = 0; ox < g.ow; ox++) {
        const x0 = ox * g.sw - g.pw;
        const value = <f64>load<f32>(at4(dy, out++)) * scale;
        for (let i = max(0, -y0), iHi = min(g.kh, g.h - y0); i < iHi; i++) {
          const row = plane + (y0 + i) * g.w + x0;
          for (let j = max(0, -x0), jHi = min(g.kw, g.w - x0); j < jHi; j++) {
            const d = at4(dx, row + j);
            store<f32>(d, <f32>(<f64>load<f32>(d) + value));
          }
        }
      }
    }
  }
}
