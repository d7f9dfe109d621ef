/** Names of the expression language's built-in functions, in the order the docs list them. */
export const EXPR_FUNCTION_NAMES = [
  'exp',
  'log',
  'abs',
  'sqrt',
  'tanh',
  'min',
  'max',
  'pow',
  'floor',
  'sign',
  'erf',
] as const;

/**
 * Abramowitz–Stegun 7.1.26 coefficients of `erf` (`p`, then `a1`…`a5`); |error| < 1.5e-7.
 * erf(x) = sign(x)·(1 − (a1·t + a2·t² + a3·t³ + a4·t⁴ + a5·t⁵)·e^(−x²)) with t = 1/(1 + p·|x|).
 */
export const ERF_COEFFICIENTS: readonly number[] = Object.freeze([
  0.3275911, 0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429,
]);

/** A built-in function of the expression language. */
export type ExprFunctionName = (typeof EXPR_FUNCTION_NAMES)[number];

/**
 * A named helper function in source form: JavaScript that the cpu backend and the plain-JS
 * evaluator compile, and that gpu.js (whose kernels are a JavaScript subset) translates to GLSL.
 * It is source text, not a JS function, so that bundlers cannot rewrite it before gpu.js parses it.
 */
export interface ExprHelper {
  /** The function's name, which the source declares (`fbt…`, so it cannot clash with user names). */
  readonly name: string;
  /** Its parameter names. */
  readonly args: readonly string[];
  /** `function name(args) { … }`, float numbers in and out. */
  readonly source: string;
}

/** How JavaScript spells a built-in: a `Math` member, or a helper declared next to the code. */
export type JsSpelling = { readonly math: string } | { readonly helper: ExprHelper };

/** The float64 functions of the wasm kernel module that compiled expressions import, in import order. */
export const WASM_IMPORTS = ['exp', 'log', 'tanh', 'pow'] as const;

/**
 * How the wasm backend lowers a built-in: a call of the kernel module's float64 function of that
 * name (`call`), one f64 / f64x2 instruction (`instruction`), or a sequence written inline
 * (`inline`). Each kind's names are closed unions, so the lowering handles every one.
 */
export type WasmLowering =
  | { readonly call: (typeof WASM_IMPORTS)[number] }
  | { readonly instruction: 'abs' | 'sqrt' | 'floor' | 'min' | 'max' }
  | { readonly inline: 'sign' | 'erf' };

/** One built-in function of the expression language, as every backend provides it. */
export interface ExprFunction {
  /** The name expressions call it by. */
  readonly name: ExprFunctionName;
  /** How many arguments it takes. */
  readonly arity: 1 | 2;
  /** The reference: JavaScript semantics, as the cpu backend and the plain-JS evaluator run it. */
  readonly js: JsSpelling;
  /**
   * As the gpu backend writes it in gpu.js kernels (translated to GLSL ES), where `js` would not
   * follow JavaScript at special values or for negative bases.
   */
  readonly gpu: JsSpelling;
  /** As the wasm backend lowers it (float64 scalar and f64x2 code). */
  readonly wasm: WasmLowering;
  /** What it gives at NaN, ±0, ±∞ and its other special points, in words, for the docs. */
  readonly special: string;
}

const [P, A1, A2, A3, A4, A5] = ERF_COEFFICIENTS as [number, number, number, number, number, number];

const helper = (name: string, args: readonly string[], body: string): JsSpelling => ({
  helper: { name, args, source: `function ${name}(${args.join(', ')}) {\n${body}\n}` },
});

/** sign with sign(±0) = +1 and NaN kept (the `x !== x` test also works in Mesa's GLSL). */
const SIGN = helper(
  'fbtSign',
  ['x'],
  `  if (x !== x) { return x; }
  return x < 0 ? -1 : 1;`,
);

/** erf by Abramowitz–Stegun 7.1.26, |error| < 1.5e-7; the float64 backends lower the same steps. */
const ERF = helper(
  'fbtErf',
  ['x'],
  `  const u = Math.abs(x);
  const t = 1 / (1 + ${P} * u);
  const poly = ((((${A5} * t + ${A4}) * t + ${A3}) * t + ${A2}) * t + ${A1}) * t;
  const y = 1 - poly * Math.exp(-u * u);
  return x < 0 ? -y : y;`,
);

/** min/max for GLSL, whose `min`/`max` drop a NaN operand where JavaScript's return NaN. */
const extremum = (name: string, keepFirst: string): JsSpelling =>
  helper(
    name,
    ['a', 'b'],
    `  if (a !== a) { return a; }
  if (b !== b) { return b; }
  return ${keepFirst} ? a : b;`,
  );

const math = (member: string): JsSpelling => ({ math: `Math.${member}` });

/**
 * The built-in functions, one record each: the single source from which the cpu prelude, the gpu
 * helpers, the wasm lowering, the plain-JS evaluator and the docs' list follow. A mapped type over
 * `ExprFunctionName`, so a function without every field is a type error.
 */
export const EXPR_FUNCTION_TABLE: { readonly [F in ExprFunctionName]: ExprFunction } = {
  exp: {
    name: 'exp',
    arity: 1,
    js: math('exp'),
    gpu: math('exp'),
    wasm: { call: 'exp' },
    special: 'exp(−∞) = 0, exp(∞) = ∞, NaN → NaN',
  },
  log: {
    name: 'log',
    arity: 1,
    js: math('log'),
    gpu: math('log'),
    wasm: { call: 'log' },
    special: 'log(±0) = −∞, log(x < 0) = NaN, NaN → NaN',
  },
  abs: {
    name: 'abs',
    arity: 1,
    js: math('abs'),
    gpu: math('abs'),
    wasm: { instruction: 'abs' },
    special: 'abs(−0) = 0, NaN → NaN',
  },
  sqrt: {
    name: 'sqrt',
    arity: 1,
    js: math('sqrt'),
    gpu: math('sqrt'),
    wasm: { instruction: 'sqrt' },
    special: 'sqrt(−0) = −0, sqrt(x < 0) = NaN, NaN → NaN',
  },
  tanh: {
    name: 'tanh',
    arity: 1,
    js: math('tanh'),
    gpu: helper(
      'fbtTanh',
      ['x'],
      `  const e = Math.exp(-2 * Math.abs(x));
  const t = (1 - e) / (1 + e);
  return x < 0 ? -t : t;`,
    ),
    wasm: { call: 'tanh' },
    special: 'tanh(±∞) = ±1, NaN → NaN',
  },
  min: {
    name: 'min',
    arity: 2,
    js: math('min'),
    gpu: extremum('fbtMin', 'a < b'),
    wasm: { instruction: 'min' },
    special: 'NaN if either argument is NaN; min(0, −0) = −0',
  },
  max: {
    name: 'max',
    arity: 2,
    js: math('max'),
    gpu: extremum('fbtMax', 'a > b'),
    wasm: { instruction: 'max' },
    special: 'NaN if either argument is NaN; max(0, −0) = 0',
  },
  pow: {
    name: 'pow',
    arity: 2,
    js: math('pow'),
    // JavaScript's results where GLSL's pow is undefined: NaN operands, a zero, negative or −∞ base.
    gpu: helper(
      'fbtPow',
      ['a', 'b'],
      `  if (b === 0) { return 1; }
  if (a !== a) { return a; }
  if (b !== b) { return b; }
  const half = b * 0.5;
  const odd = Math.floor(b) === b && Math.floor(half) !== half;
  if (a === 0) {
    const z = b > 0 ? 0 : 1 / Math.abs(a);
    return odd && 1 / a < 0 ? -z : z;
  }
  const m = Math.pow(Math.abs(a), b);
  if (a > 0) { return m; }
  if (Math.floor(b) !== b) { return a < -3.4e38 ? m : (a - a) / (a - a); }
  return odd ? -m : m;`,
    ),
    wasm: { call: 'pow' },
    special:
      'JavaScript’s `Math.pow`: pow(x, ±0) = 1 even for NaN x, a negative base needs an integer exponent',
  },
  floor: {
    name: 'floor',
    arity: 1,
    js: math('floor'),
    gpu: math('floor'),
    wasm: { instruction: 'floor' },
    special: 'floor(−0) = −0, ±∞ and NaN unchanged',
  },
  sign: {
    name: 'sign',
    arity: 1,
    js: SIGN,
    gpu: SIGN,
    wasm: { inline: 'sign' },
    special: '−1 for x < 0, +1 for x ≥ 0 (sign(±0) = +1), NaN → NaN',
  },
  erf: {
    name: 'erf',
    arity: 1,
    js: ERF,
    gpu: ERF,
    wasm: { inline: 'erf' },
    special: 'Abramowitz–Stegun 7.1.26, absolute error < 1.5e-7: erf(±∞) = ±1, NaN → NaN',
  },
};
