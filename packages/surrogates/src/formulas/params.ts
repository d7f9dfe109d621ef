/** One numeric parameter of a formula-table entry: its name, default and allowed range. */
export interface ParamSpec {
  /** Name as used in the expressions and in `params` objects. */
  readonly name: string;
  /** Value used when the caller does not give one. */
  readonly default: number;
  /** Smallest allowed value (inclusive unless `exclusiveMin`); absent: no lower bound. */
  readonly min?: number;
  /** When true, `min` itself is not allowed. */
  readonly exclusiveMin?: boolean;
  /** Largest allowed value (inclusive); absent: no upper bound. */
  readonly max?: number;
  /** When true, only integers are allowed. */
  readonly integer?: boolean;
  /** One line on what the parameter does. */
  readonly doc: string;
}

/**
 * A condition between parameters, written in the expression language over the parameter names
 * (e.g. `a < b`), with the text shown when it fails.
 */
export interface ParamConstraint {
  /** Expression over the parameter names that must be true. */
  readonly expr: string;
  /** Human-readable form for error messages and docs. */
  readonly text: string;
}

/** Writes a parameter's allowed range the way error messages and docs show it, e.g. `(0, ∞)`. */
export function formatRange(spec: ParamSpec): string {
  const low = spec.min === undefined ? '(-∞' : `${spec.exclusiveMin ? '(' : '['}${spec.min}`;
  const high = spec.max === undefined ? '∞)' : `${spec.max}]`;
  return `${spec.integer ? 'integer in ' : ''}${low}, ${high}`;
}

/** True when `value` lies in the spec's range (and is finite, and an integer where required). */
export function inRange(spec: ParamSpec, value: number): boolean {
  if (!Number.isFinite(value)) return false;
  if (spec.integer && !Number.isInteger(value)) return false;
  if (spec.min !== undefined && (spec.exclusiveMin ? value <= spec.min : value < spec.min)) return false;
  return spec.max === undefined || value <= spec.max;
}
