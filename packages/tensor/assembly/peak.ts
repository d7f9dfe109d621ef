// The machine limit the bench measures fbt against: multiply-adds on registers alone, no memory.
import { madd } from './simd';

/**
 * Runs `iterations` rounds of twelve independent f32x4 multiply-adds (`madd`: fused in the relaxed-SIMD
 * module) on registers only, and stores their sum at `out + 16·thread` so the loop is not optimized
 * away. Every thread of the pool runs all the rounds (the aggregate throughput of `threads` threads);
 * 96 floating-point operations per round and thread. The accumulators converge to 1 (a·0.5 + 0.5),
 * so no value overflows or becomes subnormal.
 */
export function peak(iterations: i32, out: usize, thread: i32, threads: i32): void {
  const m = f32x4.splat(0.5);
  let a0 = f32x4.splat(<f32>thread),
    a1 = f32x4.splat(1),
    a2 = f32x4.splat(2),
    a3 = f32x4.splat(3),
    a4 = f32x4.splat(4);
  let a5 = f32x4.splat(5),
    a6 = f32x4.splat(6),
    a7 = f32x4.splat(7),
    a8 = f32x4.splat(8),
    a9 = f32x4.splat(<f32>threads),
    a10 = f32x4.splat(10),
    a11 = f32x4.splat(11);
  for (let i = 0; i < iterations; i++) {
    a0 = madd(a0, m, m);
    a1 = madd(a1, m, m);
    a2 = madd(a2, m, m);
    a3 = madd(a3, m, m);
    a4 = madd(a4, m, m);
    a5 = madd(a5, m, m);
    a6 = madd(a6, m, m);
    a7 = madd(a7, m, m);
    a8 = madd(a8, m, m);
    a9 = madd(a9, m, m);
    a10 = madd(a10, m, m);
    a11 = madd(a11, m, m);
  }
  const sum = f32x4.add(
    f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)),
    f32x4.add(
      f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7)),
      f32x4.add(f32x4.add(a8, a9), f32x4.add(a10, a11)),
    ),
  );
  v128.store(out + ((<usize>thread) << 4), sum);
}
