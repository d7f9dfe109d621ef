/*
 * The constants of the inline float64 `exp` that compiled formulas evaluate (`BodyWriter.exp`):
 * x = k·ln 2 + r with k = round(x / ln 2) and |r| ≤ ln 2 / 2 (Cody–Waite, ln 2 in two parts), e^r
 * by its Taylor series to r^13 (the first term left out is below 2^-56 of the sum) in Estrin's
 * scheme, times 2^k built in the exponent bits. Within about 1 ulp of e^x, so a float32 result
 * rounded from it equals one rounded from a correctly rounded e^x except in rare ties. A formula
 * reads them as hidden parameters after its own (locals loaded once before its loop: V8 builds a
 * `v128.const` anew from general registers at each use, which made the function 1.6x slower).
 */

/** Index of 1/2! in EXP_CONSTANTS; 1/n! for n = 2 … 13 follow in order (entries 0 … 11). */
export const EXP_TAYLOR = 0;
/** 1, whose bits are also the exponent bias (1023 << 52) added to k << 52. */
export const EXP_ONE = 12;
export const EXP_INV_LN2 = 13;
/** ln 2 with a 32-bit significand, so k · ln2hi is exact for |k| < 2^21. */
export const EXP_LN2_HI = 14;
/** ln 2 − ln2hi, rounded to the nearest float64 (from ln 2 to 60 digits). */
export const EXP_LN2_LO = 15;
/** 1.5 · 2^52: x + it − it rounds x to an integer, which sits in the low bits of x + it. */
export const EXP_ROUND = 16;
/** Largest |x| evaluated inline: 2^k stays a normal float64. Beyond it (and NaN), the kernel module's `exp`. */
export const EXP_LIMIT = 17;

/** The constants, by the indices above. */
export const EXP_CONSTANTS: readonly number[] = Object.freeze([
  0.5, 0.16666666666666666, 0.041666666666666664, 0.008333333333333333, 0.001388888888888889,
  0.0001984126984126984, 0.0000248015873015873, 0.0000027557319223985893, 2.755731922398589e-7,
  2.505210838544172e-8, 2.08767569878681e-9, 1.6059043836821613e-10, 1, 1.4426950408889634,
  0.6931471803691238, 1.9082149292705877e-10, 6755399441055744, 708,
]);
