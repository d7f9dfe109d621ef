/**
 * Helper functions added to every kernel of a device. They are source text (not JS functions) so
 * that bundlers cannot rewrite them before gpu.js parses them. Every helper takes and returns
 * float32 numbers.
 */
export interface HelperFunction {
  readonly name: string;
  readonly args: readonly string[];
  readonly source: string;
}

/** The helpers: exact integer division, `pow` for negative bases, stable `tanh`, `sign`, `erf`. */
export const HELPER_FUNCTIONS: readonly HelperFunction[] = [
  {
    // floor(a / b) for non-negative integers a, b held in floats; exact where a float divide may round
    // 21 / 7 to 2.9999998.
    name: 'fbtIdiv',
    args: ['a', 'b'],
    source: `function fbtIdiv(a, b) {
  let q = Math.floor((a + 0.5) / b);
  const r = a - q * b;
  if (r < 0) { q = q - 1; }
  if (r >= b) { q = q + 1; }
  return q;
}`,
  },
  {
    // JS Math.pow semantics for the cases GLSL pow leaves undefined (negative base, zero base).
    name: 'fbtPow',
    args: ['a', 'b'],
    source: `function fbtPow(a, b) {
  if (b === 0) { return 1; }
  if (a === 0) { return b > 0 ? 0 : 1 / Math.abs(a); }
  const m = Math.pow(Math.abs(a), b);
  if (a > 0) { return m; }
  if (Math.floor(b) !== b) { return (a - a) / (a - a); }
  const half = b * 0.5;
  if (Math.floor(half) !== half) { return -m; }
  return m;
}`,
  },
  {
    name: 'fbtTanh',
    args: ['x'],
    source: `function fbtTanh(x) {
  const e = Math.exp(-2 * Math.abs(x));
  const t = (1 - e) / (1 + e);
  return x < 0 ? -t : t;
}`,
  },
  {
    name: 'fbtSign',
    args: ['x'],
    source: `function fbtSign(x) {
  return x >= 0 ? 1 : -1;
}`,
  },
  {
    // Abramowitz–Stegun 7.1.26, |error| < 1.5e-7, the formula of the CPU backend.
    name: 'fbtErf',
    args: ['x'],
    source: `function fbtErf(x) {
  const ax = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * ax);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const y = 1 - poly * Math.exp(-ax * ax);
  return x < 0 ? -y : y;
}`,
  },
];
