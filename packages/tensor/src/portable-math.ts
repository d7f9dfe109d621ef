// Logarithm, cosine and sine from IEEE-754 basic operations only (+ − × ÷ and exact power-of-two
// scaling). ECMAScript leaves Math.log, Math.cos and Math.sin "implementation-approximated", and
// engines do round them differently (Node 20 and Chromium disagree in the last bit for many
// inputs), whereas every basic operation is correctly rounded everywhere. So these functions give
// bit-identical results in every engine, which seeded random streams need. Accuracy: about 1 ulp.

/** ln 2 split so that k·LN2_HI is exact for |k| < 2¹¹ (fdlibm's constants). */
const LN2_HI = 6.9314718036912381649e-1;
const LN2_LO = 1.9082149292705877e-10;
const SQRT2 = 1.4142135623730951;
const HALF_PI = 1.5707963267948966;

/** 1/(2n+1), n = 1..12: the series log m = 2s·(1 + s²/3 + s⁴/5 + …), s = (m−1)/(m+1). */
const ODD_RECIPROCALS = Array.from({ length: 12 }, (_, i) => 1 / (2 * i + 3));
/** 1/n!, n = 0..17, by repeated division (each step correctly rounded). */
const INVERSE_FACTORIALS = ((): number[] => {
  const out = [1];
  for (let n = 1; n <= 17; n++) out.push(out[n - 1]! / n);
  return out;
})();

const bits = new DataView(new ArrayBuffer(8));

/**
 * Natural logarithm of a positive finite `x`, bit-identical in every JavaScript engine (unlike
 * `Math.log`). Returns NaN for x < 0 or NaN, −Infinity for 0, Infinity for Infinity.
 *
 * @example
 * portableLog(Math.E); // 1 (to within an ulp)
 */
export function portableLog(x: number): number {
  if (!(x > 0)) return x === 0 ? -Infinity : NaN;
  if (x === Infinity) return Infinity;
  let k = 0;
  if (x < 2.2250738585072014e-308) {
    x *= 18014398509481984; // 2^54: subnormals become normal, exactly
    k = -54;
  }
  bits.setFloat64(0, x);
  const high = bits.getUint32(0);
  k += ((high >>> 20) & 0x7ff) - 1023;
  bits.setUint32(0, (high & 0x000fffff) | 0x3ff00000); // the mantissa m in [1, 2)
  let m = bits.getFloat64(0);
  if (m > SQRT2) {
    m /= 2;
    k += 1;
  }
  const f = m - 1; // exact: m in [√½, √2]
  const s = f / (2 + f);
  const z = s * s;
  let series = ODD_RECIPROCALS[ODD_RECIPROCALS.length - 1]!;
  for (let i = ODD_RECIPROCALS.length - 2; i >= 0; i--) series = ODD_RECIPROCALS[i]! + z * series;
  const logM = f - s * (f - 2 * z * series);
  return k * LN2_HI + (logM + k * LN2_LO);
}

/** cos a by its Taylor series, for |a| ≤ π/4. */
function cosSeries(a: number): number {
  const a2 = a * a;
  let c = INVERSE_FACTORIALS[16]!;
  for (let n = 14; n >= 0; n -= 2) c = INVERSE_FACTORIALS[n]! - a2 * c;
  return c;
}

/** sin a by its Taylor series, for |a| ≤ π/4. */
function sinSeries(a: number): number {
  const a2 = a * a;
  let s = INVERSE_FACTORIALS[17]!;
  for (let n = 15; n >= 1; n -= 2) s = INVERSE_FACTORIALS[n]! - a2 * s;
  return s * a;
}

/** cos(r·π/2) for r in [0, 1], folded so the series argument stays within π/4. */
function cosQuarter(r: number): number {
  return r > 0.5 ? sinSeries((1 - r) * HALF_PI) : cosSeries(r * HALF_PI);
}

/** sin(r·π/2) for r in [0, 1], folded so the series argument stays within π/4. */
function sinQuarter(r: number): number {
  return r > 0.5 ? cosSeries((1 - r) * HALF_PI) : sinSeries(r * HALF_PI);
}

/** 4·(turns mod 1): the quadrant of the angle 2π·turns is its integer part (exact). */
function quarterTurns(turns: number): number {
  return (turns - Math.floor(turns)) * 4;
}

/**
 * cos(2π·turns), bit-identical in every JavaScript engine (unlike `Math.cos`). The angle is
 * given in turns, so the reduction to a quadrant is exact: `cosTurns(0.5)` is exactly −1.
 *
 * @example
 * cosTurns(0.25); // 0 (cos π/2)
 */
export function cosTurns(turns: number): number {
  if (!Number.isFinite(turns)) return NaN;
  const t = quarterTurns(turns);
  const quadrant = Math.floor(t);
  const r = t - quadrant;
  // 0 − x rather than −x: +0, not −0, at the zeros (cos of a quarter turn)
  if (quadrant === 0) return cosQuarter(r);
  if (quadrant === 1) return 0 - sinQuarter(r);
  return quadrant === 2 ? 0 - cosQuarter(r) : sinQuarter(r);
}

/**
 * sin(2π·turns), bit-identical in every JavaScript engine (unlike `Math.sin`).
 *
 * @example
 * sinTurns(0.25); // 1 (sin π/2)
 */
export function sinTurns(turns: number): number {
  if (!Number.isFinite(turns)) return NaN;
  const t = quarterTurns(turns);
  const quadrant = Math.floor(t);
  const r = t - quadrant;
  if (quadrant === 0) return sinQuarter(r);
  if (quadrant === 1) return cosQuarter(r);
  return quadrant === 2 ? 0 - sinQuarter(r) : 0 - cosQuarter(r);
}
