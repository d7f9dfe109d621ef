// Float64 elementary functions (AssemblyScript's musl-derived NativeMath) for the formula
// modules that `mapExpr` compiles: a call into this module is much cheaper than a call out to JS.

export function exp(x: f64): f64 {
  return Math.exp(x);
}

export function log(x: f64): f64 {
  return Math.log(x);
}

export function tanh(x: f64): f64 {
  return Math.tanh(x);
}

export function pow(x: f64, y: f64): f64 {
  return Math.pow(x, y);
}
