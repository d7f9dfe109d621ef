// SIMD helpers whose instruction depends on the module variant: the build compiles these sources
// twice, once for WebAssembly SIMD and once with relaxed SIMD enabled (see scripts/wasm-source.mjs).

/**
 * c + a·b per lane. The relaxed-SIMD module uses `f32x4.relaxed_madd`, a fused multiply-add where
 * the CPU has one (one rounding instead of two); the plain SIMD module multiplies, then adds.
 * Small enough that the optimizer (-O3) inlines it into the micro-kernel.
 */
export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}
