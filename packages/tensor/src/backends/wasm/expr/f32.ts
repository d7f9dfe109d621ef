import type { ExprNode } from '../../../formula/parse';
import { OP, leb } from './encode';

// A float32x4 lowering for the formulas whose float64 evaluation rounds to the same float32 as an
// evaluation in float32: every value is a float32 input, a constant that float32 holds exactly, a
// negation, a comparison (1/0) or a conditional of such values, except at the output, where one
// + − × ÷ of two such values may stand (directly or as a branch of conditionals): its float64
// result, rounded once to float32, equals the float32 operation's (float64 has more than twice
// float32's precision, so rounding twice gives the correctly rounded result). ReLU-like
// activations and their ψ (`z < 0 ? 0 : z`, `g * (z > 0 ? 1 : 0)`) are of this kind; they run
// four elements to a v128 instead of two.

/** f32x4 SIMD opcodes (after 0xfd), as LEB128 byte lists. */
const F32X4 = {
  load: [0x00],
  store: [0x0b],
  const: [0x0c],
  eq: [0x41],
  ne: [0x42],
  lt: [0x43],
  gt: [0x44],
  le: [0x45],
  ge: [0x46],
  and: [0x4e],
  bitselect: [0x52],
  neg: [0xe1, 0x01],
  add: [0xe4, 0x01],
  sub: [0xe5, 0x01],
  mul: [0xe6, 0x01],
  div: [0xe7, 0x01],
} as const;

const COMPARISONS: Readonly<Record<string, readonly number[]>> = {
  '<': F32X4.lt,
  '<=': F32X4.le,
  '>': F32X4.gt,
  '>=': F32X4.ge,
  '==': F32X4.eq,
  '===': F32X4.eq,
  '!=': F32X4.ne,
  '!==': F32X4.ne,
};

const ARITHMETIC: Readonly<Record<string, readonly number[]>> = {
  '+': F32X4.add,
  '-': F32X4.sub,
  '*': F32X4.mul,
  '/': F32X4.div,
};

/** True when `n`'s float64 value is always a float32 value, computed exactly in float32. */
function exact(n: ExprNode, intInputs: readonly boolean[]): boolean {
  switch (n.kind) {
    case 'number':
      return Number.isNaN(n.value) || Math.fround(n.value) === n.value;
    case 'group':
      return exact(n.inner, intInputs);
    case 'input':
      return !intInputs[n.index];
    case 'unary':
      return n.op === '-' && exact(n.arg, intInputs);
    case 'binary':
      return COMPARISONS[n.op] !== undefined && exact(n.left, intInputs) && exact(n.right, intInputs);
    case 'conditional':
      return exact(n.test, intInputs) && exact(n.then, intInputs) && exact(n.otherwise, intInputs);
    default:
      return false;
  }
}

/** True when `n` may be the output: exact, one arithmetic operation of exact values, or conditionals of those. */
export function f32Lowerable(n: ExprNode, intInputs: readonly boolean[]): boolean {
  switch (n.kind) {
    case 'group':
      return f32Lowerable(n.inner, intInputs);
    case 'binary':
      if (ARITHMETIC[n.op] !== undefined) return exact(n.left, intInputs) && exact(n.right, intInputs);
      return exact(n, intInputs);
    case 'conditional':
      return (
        exact(n.test, intInputs) && f32Lowerable(n.then, intInputs) && f32Lowerable(n.otherwise, intInputs)
      );
    default:
      return exact(n, intInputs);
  }
}

/**
 * Writes f32x4 code for a node that `f32Lowerable` accepted: it leaves the four values on the
 * stack. Inputs are read from v128 locals (`inputLocal`); `temp` hands out fresh v128 locals.
 */
export class F32x4Writer {
  readonly code: number[] = [];

  constructor(
    private readonly inputLocal: (index: number) => number,
    private readonly temp: () => number,
  ) {}

  private simd(opcode: readonly number[], ...immediates: number[]): void {
    this.code.push(OP.simd, ...opcode, ...immediates);
  }

  private constant(value: number): void {
    const bytes = Array.from(new Uint8Array(new Float32Array([value, value, value, value]).buffer));
    this.simd(F32X4.const, ...bytes);
  }

  /** Leaves the lane mask of `n`'s truthiness (≠ 0 and not NaN; a comparison's own mask). */
  private mask(n: ExprNode): void {
    if (n.kind === 'group') return this.mask(n.inner);
    if (n.kind === 'binary' && COMPARISONS[n.op] !== undefined) {
      this.node(n.left);
      this.node(n.right);
      return this.simd(COMPARISONS[n.op]!);
    }
    this.node(n);
    const at = this.temp();
    this.code.push(OP.localSet, ...leb(at), OP.localGet, ...leb(at));
    this.constant(0);
    this.simd(F32X4.ne);
    this.code.push(OP.localGet, ...leb(at), OP.localGet, ...leb(at));
    this.simd(F32X4.eq);
    this.simd(F32X4.and);
  }

  node(n: ExprNode): void {
    switch (n.kind) {
      case 'number':
        return this.constant(n.value);
      case 'group':
        return this.node(n.inner);
      case 'input':
        this.code.push(OP.localGet, ...leb(this.inputLocal(n.index)));
        return;
      case 'unary':
        this.node(n.arg);
        return this.simd(F32X4.neg);
      case 'binary': {
        const comparison = COMPARISONS[n.op];
        this.node(n.left);
        this.node(n.right);
        if (comparison === undefined) return this.simd(ARITHMETIC[n.op]!);
        this.simd(comparison);
        this.constant(1);
        return this.simd(F32X4.and);
      }
      case 'conditional':
        this.node(n.then);
        this.node(n.otherwise);
        this.mask(n.test);
        return this.simd(F32X4.bitselect);
      default:
        throw new Error(`F32x4Writer: ${n.kind} is not lowerable to float32`);
    }
  }
}

/** v128.load / v128.store with alignment 4 (2^2) and offset 0. */
export const V128_LOAD = [OP.simd, ...F32X4.load, 2, 0];
export const V128_STORE = [OP.simd, ...F32X4.store, 2, 0];
