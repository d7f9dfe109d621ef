/**
 * The elementwise tensor ops, one record each: every backend derives its kernel from the record
 * (cpu and gpu compile `expr`, wasm runs its native `wasm` lowering or the cpu loop), the dtype rule
 * comes from `int32Inputs` and autograd registers `gradient`. A formula exists here and nowhere else.
 */

/** Names of the native float32 unary operations of the wasm kernel module (`assembly/elementwise.ts`). */
export type WasmUnaryCode = 'NEG' | 'ABS' | 'SQRT' | 'SQUARE' | 'RELU' | 'STEP' | 'SIGN' | 'RECIPROCAL';

/** Names of the native float32 binary operations of the wasm kernel module. */
export type WasmBinaryCode =
  'ADD' | 'SUB' | 'MUL' | 'DIV' | 'MIN' | 'MAX' | 'GT' | 'GE' | 'LT' | 'LE' | 'EQ' | 'NE';

/** One elementwise tensor op: kernel name, formula, dtype rule, gradient and wasm lowering. */
export interface ElementwiseOpRecord {
  /** Kernel name, the same as the op's export (`relu`). */
  readonly name: string;
  /** Input names, in kernel input order, as `expr` and `gradient` read them (`x`, or `a`, `b`). */
  readonly inputs: readonly string[];
  /** Parameter names of `expr`, each read from the kernel attribute the map names (`lo` ← `min`). */
  readonly params?: Readonly<Record<string, string>>;
  /**
   * The op in the `mapExpr` language (`validateExpr`) over `inputs` and `params`, evaluated in
   * float64 and rounded to float32 once: the reference every backend must match.
   */
  readonly expr: string;
  /**
   * The exact int32 variant for the cpu backend, in JavaScript over the same names (`$imul` is
   * `Math.imul`), where `expr` in float64 would not wrap like C; otherwise `expr` serves int32 too.
   */
  readonly intExpr?: string;
  /**
   * The dtype rule: the output is int32 when the inputs at these indices are all int32, float32
   * otherwise (other inputs, like `where`'s condition, do not count). Absent: always float32.
   */
  readonly int32Inputs?: readonly number[];
  /**
   * The gradient passed to each input, in the `mapExpr` language over `dy` (the output's gradient),
   * `y` (the output), `inputs` and `params`: `null` for an input that gets none. `'none'`: the op is
   * not differentiable (zero almost everywhere), so autograd never records it.
   */
  readonly gradient: readonly (string | null)[] | 'none';
  /** The native float32 operation that lowers the op on wasm; absent: wasm runs the cpu loop. */
  readonly wasm?: WasmUnaryCode | WasmBinaryCode;
}

const unary = (
  name: string,
  expr: string,
  gradient: string | 'none',
  more: Partial<ElementwiseOpRecord> = {},
): ElementwiseOpRecord => ({
  name,
  inputs: ['x'],
  expr,
  gradient: gradient === 'none' ? 'none' : [gradient],
  ...more,
});

const binary = (
  name: string,
  expr: string,
  gradient: readonly [string, string] | 'none',
  more: Partial<ElementwiseOpRecord> = {},
): ElementwiseOpRecord => ({ name, inputs: ['a', 'b'], expr, gradient, ...more });

const comparison = (name: string, operator: string, wasm: WasmBinaryCode): ElementwiseOpRecord =>
  binary(name, `a ${operator} b ? 1 : 0`, 'none', { wasm });

const KEEP_INT = [0] as const;
const KEEP_INT2 = [0, 1] as const;

/**
 * Every elementwise tensor op. Conventions (PyTorch's, and fbt's): NaN propagates through every
 * arithmetic op, `minimum` and `maximum`; comparisons with NaN are 0 except `notEqual`; sign(0) = +1
 * and H(0) = 1, both NaN at NaN; relu'(0) = 0; the gradient of `abs` at 0 is sign(0) = +1; ties of
 * `maximum`/`minimum` send the gradient to `a`; `clamp` passes it on its closed interval. What the
 * gpu backend cannot give (GLSL drops NaN in `min`/`max`, flushes subnormals, does not keep the sign
 * of zero) is listed in `packages/gpu/test/op-table.test.ts`.
 */
export const ELEMENTWISE_OPS: readonly ElementwiseOpRecord[] = Object.freeze([
  unary('neg', '-x', '-dy', { int32Inputs: KEEP_INT, wasm: 'NEG' }),
  unary('abs', 'abs(x)', 'dy * sign(x)', { int32Inputs: KEEP_INT, wasm: 'ABS' }),
  unary('exp', 'exp(x)', 'dy * y'),
  unary('log', 'log(x)', 'dy / x'),
  unary('sqrt', 'sqrt(x)', 'dy * 0.5 / y', { wasm: 'SQRT' }),
  unary('square', 'x * x', 'dy * 2 * x', { intExpr: '$imul(x, x)', int32Inputs: KEEP_INT, wasm: 'SQUARE' }),
  unary('tanh', 'tanh(x)', 'dy * (1 - y * y)'),
  // exp(-x) overflows to Infinity for x < -88 (float32), giving exactly 0: never NaN for finite x.
  // The derivative is written in |x| so that it never overflows and keeps its tails (y(1 − y) is 0
  // once y rounds to 1).
  unary('sigmoid', '1 / (1 + exp(-x))', 'dy * exp(-abs(x)) / pow(1 + exp(-abs(x)), 2)'),
  // The last branch is taken by NaN alone (NaN + 1 is NaN): a plain `x < 0 ? 0 : x` is folded by GLSL
  // compilers into max(x, 0), which drops NaN.
  unary('relu', 'x < 0 ? 0 : (x >= 0 ? x : x + 1)', 'x > 0 ? dy : 0', { wasm: 'RELU' }),
  unary('sign', 'x < 0 ? -1 : (x >= 0 ? 1 : x)', 'none', { wasm: 'SIGN' }),
  unary('step', 'x < 0 ? 0 : (x >= 0 ? 1 : x)', 'none', { wasm: 'STEP' }),
  unary('reciprocal', '1 / x', '-dy * y * y', { wasm: 'RECIPROCAL' }),
  binary('add', 'a + b', ['dy', 'dy'], { int32Inputs: KEEP_INT2, wasm: 'ADD' }),
  binary('sub', 'a - b', ['dy', '-dy'], { int32Inputs: KEEP_INT2, wasm: 'SUB' }),
  binary('mul', 'a * b', ['dy * b', 'dy * a'], {
    intExpr: '$imul(a, b)',
    int32Inputs: KEEP_INT2,
    wasm: 'MUL',
  }),
  // d(a/b)/db = −a/b² = −y/b
  binary('div', 'a / b', ['dy / b', '-dy * y / b'], { wasm: 'DIV' }),
  // d(a^b)/db = a^b·ln a, taken as 0 where a ≤ 0 (ln undefined there).
  binary('pow', 'pow(a, b)', ['dy * b * pow(a, b - 1)', 'a > 0 ? dy * y * log(a) : 0']),
  binary('minimum', 'min(a, b)', ['a <= b ? dy : 0', 'a <= b ? 0 : dy'], {
    int32Inputs: KEEP_INT2,
    wasm: 'MIN',
  }),
  binary('maximum', 'max(a, b)', ['a >= b ? dy : 0', 'a >= b ? 0 : dy'], {
    int32Inputs: KEEP_INT2,
    wasm: 'MAX',
  }),
  comparison('greater', '>', 'GT'),
  comparison('greaterEqual', '>=', 'GE'),
  comparison('less', '<', 'LT'),
  comparison('lessEqual', '<=', 'LE'),
  comparison('equal', '==', 'EQ'),
  comparison('notEqual', '!=', 'NE'),
  {
    name: 'clamp',
    inputs: ['x'],
    params: { lo: 'min', hi: 'max' },
    // As in relu, the last branch is NaN's alone, which keeps GLSL from folding this into clamp().
    expr: 'x < lo ? lo : (x > hi ? hi : (x >= lo ? x : x + 1))',
    int32Inputs: KEEP_INT,
    gradient: ['x >= lo && x <= hi ? dy : 0'],
  },
  {
    name: 'where',
    inputs: ['c', 'a', 'b'],
    expr: 'c != 0 ? a : b',
    int32Inputs: [1, 2],
    gradient: [null, 'c != 0 ? dy : 0', 'c != 0 ? 0 : dy'],
  },
]);

const byName = new Map(ELEMENTWISE_OPS.map((op) => [op.name, op]));

/** The record of the elementwise op `name`, or undefined for any other kernel. */
export function elementwiseOp(name: string): ElementwiseOpRecord | undefined {
  return byName.get(name);
}

/** The parameter values of a call of `op`, in the order of `op.params`, read from the kernel's attributes. */
export function opParams(op: ElementwiseOpRecord, attrs: Readonly<Record<string, unknown>>): number[] {
  return Object.values(op.params ?? {}).map((attr) => attrs[attr] as number);
}
