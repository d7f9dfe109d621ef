import {
  ERF_COEFFICIENTS,
  EXPR_FUNCTION_TABLE,
  WASM_IMPORTS,
  type ExprFunctionName,
  type WasmLowering,
} from '../../../formula/functions';
import type { ExprNode } from '../../../formula/parse';
import { F64, OP, SIMD, VOID, f64Bytes, leb } from './encode';
import { EXP_INV_LN2, EXP_LIMIT, EXP_LN2_HI, EXP_LN2_LO, EXP_ONE, EXP_ROUND, EXP_TAYLOR } from './exp';

type Imported = (typeof WASM_IMPORTS)[number];
type Instruction = Extract<WasmLowering, { instruction: unknown }>['instruction'];
type Inline = Extract<WasmLowering, { inline: unknown }>['inline'];

/** An arithmetic or comparison operator, its scalar opcode and its f64x2 opcode. */
interface LaneOp {
  readonly scalar: number;
  readonly vector: readonly number[];
}

const ARITHMETIC: Readonly<Record<string, LaneOp>> = {
  '+': { scalar: OP.f64Add, vector: SIMD.f64x2Add },
  '-': { scalar: OP.f64Sub, vector: SIMD.f64x2Sub },
  '*': { scalar: OP.f64Mul, vector: SIMD.f64x2Mul },
  '/': { scalar: OP.f64Div, vector: SIMD.f64x2Div },
};

const COMPARISONS: Readonly<Record<string, LaneOp>> = {
  '<': { scalar: OP.f64Lt, vector: SIMD.f64x2Lt },
  '<=': { scalar: OP.f64Le, vector: SIMD.f64x2Le },
  '>': { scalar: OP.f64Gt, vector: SIMD.f64x2Gt },
  '>=': { scalar: OP.f64Ge, vector: SIMD.f64x2Ge },
  '==': { scalar: OP.f64Eq, vector: SIMD.f64x2Eq },
  '===': { scalar: OP.f64Eq, vector: SIMD.f64x2Eq },
  '!=': { scalar: OP.f64Ne, vector: SIMD.f64x2Ne },
  '!==': { scalar: OP.f64Ne, vector: SIMD.f64x2Ne },
};

/** The f64 / f64x2 instruction of each built-in the table lowers to one (`instruction`). */
const INSTRUCTIONS: { readonly [I in Instruction]: LaneOp } = {
  abs: { scalar: OP.f64Abs, vector: SIMD.f64x2Abs },
  sqrt: { scalar: OP.f64Sqrt, vector: SIMD.f64x2Sqrt },
  floor: { scalar: OP.f64Floor, vector: SIMD.f64x2Floor },
  min: { scalar: OP.f64Min, vector: SIMD.f64x2Min },
  max: { scalar: OP.f64Max, vector: SIMD.f64x2Max },
};

/**
 * Lowers a syntax tree to wasm code that leaves the value of an expression node on the stack: one
 * float64 (scalar writer) or two in an f64x2 (vector writer). Both follow JavaScript: booleans are
 * 1/0 and `&& || ! ?:` test truthiness (≠ 0 and not NaN). The vector writer evaluates both branches
 * of a conditional and blends them, which is equivalent since formulas have no side effects. The
 * built-in functions lower as their `EXPR_FUNCTION_TABLE` record's `wasm` field says (`callNode`).
 */
export class BodyWriter {
  readonly code: number[] = [];
  temps = 0;

  constructor(
    private readonly vector: boolean,
    private readonly inputLocal: (index: number) => number,
    private readonly paramLocal: (index: number) => number,
    private readonly tempBase: number,
    /** The local of `EXP_CONSTANTS[j]` (the inline `exp`), or null to call the kernel module's `exp`. */
    private readonly expConstant: ((index: number) => number) | null = null,
  ) {}

  op(...bytes: number[]): void {
    this.code.push(...bytes);
  }

  simd(opcode: readonly number[], ...immediates: number[]): void {
    this.code.push(OP.simd, ...opcode, ...immediates);
  }

  lane(op: LaneOp): void {
    if (this.vector) this.simd(op.vector);
    else this.op(op.scalar);
  }

  constant(value: number): void {
    if (this.vector) this.simd(SIMD.v128Const, ...f64Bytes(value), ...f64Bytes(value));
    else this.op(OP.f64Const, ...f64Bytes(value));
  }

  get(at: number): void {
    this.op(OP.localGet, ...leb(at));
  }

  set(at: number): void {
    this.op(OP.localSet, ...leb(at));
  }

  temp(): number {
    return this.tempBase + this.temps++;
  }

  /** Evaluates `node` into a fresh temporary local and returns its index. */
  into(node: ExprNode): number {
    this.node(node);
    const at = this.temp();
    this.set(at);
    return at;
  }

  /** Truthiness of local `at`: an i32 (scalar) or a lane mask (vector). */
  truthy(at: number): void {
    this.get(at);
    this.constant(0);
    this.lane(COMPARISONS['!=']!);
    this.get(at);
    this.get(at);
    this.lane(COMPARISONS['==']!);
    if (this.vector) this.simd(SIMD.v128And);
    else this.op(OP.i32And);
  }

  /** Turns a comparison result (i32 or lane mask) into 1/0. */
  toNumber(): void {
    if (this.vector) {
      this.constant(1);
      this.simd(SIMD.v128And);
    } else this.op(OP.f64ConvertI32U);
  }

  /** `test ? then : otherwise` where `emitTest` leaves the truthiness on the stack. */
  choose(then: () => void, otherwise: () => void, emitTest: () => void): void {
    if (this.vector) {
      then();
      otherwise();
      emitTest();
      this.simd(SIMD.v128Bitselect);
      return;
    }
    emitTest();
    this.op(OP.if, F64);
    then();
    this.op(OP.else);
    otherwise();
    this.op(OP.end);
  }

  /** `mask ? a : b` without branches, for values already in locals or constants. */
  select(a: () => void, b: () => void, mask: () => void): void {
    a();
    b();
    mask();
    if (this.vector) this.simd(SIMD.v128Bitselect);
    else this.op(OP.select);
  }

  call(name: Imported, args: readonly number[]): void {
    if (name === 'exp' && this.expConstant !== null) return this.exp(args[0]!);
    const index = WASM_IMPORTS.indexOf(name);
    if (!this.vector) {
      for (const a of args) this.get(a);
      this.op(OP.call, index);
      return;
    }
    this.get(args[0]!);
    for (const lane of [0, 1]) {
      for (const a of args) {
        this.get(a);
        this.simd(SIMD.f64x2ExtractLane, lane);
      }
      this.op(OP.call, index);
      this.simd(SIMD.f64x2ReplaceLane, lane);
    }
  }

  node(n: ExprNode): void {
    switch (n.kind) {
      case 'number':
        return this.constant(n.value);
      case 'group':
        return this.node(n.inner);
      case 'input':
        return this.get(this.inputLocal(n.index));
      case 'param':
        return this.get(this.paramLocal(n.index));
      case 'unary':
        if (n.op === '!') {
          const at = this.into(n.arg);
          this.truthy(at);
          if (this.vector) this.simd(SIMD.v128Not);
          else this.op(OP.i32Eqz);
          return this.toNumber();
        }
        this.node(n.arg);
        if (n.op === '-') this.lane({ scalar: OP.f64Neg, vector: SIMD.f64x2Neg });
        return;
      case 'binary':
        return this.binary(n.op, n.left, n.right);
      case 'conditional': {
        const at = this.into(n.test);
        return this.choose(
          () => this.node(n.then),
          () => this.node(n.otherwise),
          () => this.truthy(at),
        );
      }
      case 'call':
        return this.callNode(n.fn, n.args);
    }
  }

  binary(op: string, left: ExprNode, right: ExprNode): void {
    if (op === '&&' || op === '||') {
      // JavaScript returns an operand: a && b is (a truthy ? b : a), a || b is (a truthy ? a : b).
      const at = this.into(left);
      const operand = (): void => this.get(at);
      const other = (): void => this.node(right);
      return this.choose(op === '&&' ? other : operand, op === '&&' ? operand : other, () => this.truthy(at));
    }
    this.node(left);
    this.node(right);
    const comparison = COMPARISONS[op];
    if (comparison !== undefined) {
      this.lane(comparison);
      this.toNumber();
    } else this.lane(ARITHMETIC[op]!);
  }

  /** A call of a built-in, lowered as its `EXPR_FUNCTION_TABLE` record says (arity checked by the parser). */
  callNode(fn: ExprFunctionName, args: readonly ExprNode[]): void {
    const how = EXPR_FUNCTION_TABLE[fn].wasm;
    if ('call' in how)
      return this.call(
        how.call,
        args.map((a) => this.into(a)),
      );
    if ('instruction' in how) {
      for (const a of args) this.node(a);
      return this.lane(INSTRUCTIONS[how.instruction]);
    }
    return INLINE[how.inline](this, args[0]!);
  }

  /**
   * e^x of local `x` as expr/exp.ts describes, inline (no call per element); a value beyond
   * ±EXP_LIMIT or NaN goes to the kernel module's `exp` (one lane at a time in the vector writer).
   * Both writers run the same float64 operations, so an element's bits do not depend on the loop
   * that evaluates it.
   */
  exp(x: number): void {
    const constant = (j: number): void => this.get(this.expConstant!(j));
    const mul = ARITHMETIC['*']!;
    const add = ARITHMETIC['+']!;
    const sub = ARITHMETIC['-']!;
    const shifted = this.temp();
    const k = this.temp();
    const r = this.temp();
    const r2 = this.temp();
    const r4 = this.temp();
    const q = this.temp();
    const y = this.temp();
    // shifted = x / ln 2 + ROUND, k = shifted − ROUND, r = (x − k·ln2hi) − k·ln2lo
    this.get(x);
    constant(EXP_INV_LN2);
    this.lane(mul);
    constant(EXP_ROUND);
    this.lane(add);
    this.set(shifted);
    this.get(shifted);
    constant(EXP_ROUND);
    this.lane(sub);
    this.set(k);
    this.get(x);
    this.get(k);
    constant(EXP_LN2_HI);
    this.lane(mul);
    this.lane(sub);
    this.get(k);
    constant(EXP_LN2_LO);
    this.lane(mul);
    this.lane(sub);
    this.set(r);
    this.get(r);
    this.get(r);
    this.lane(mul);
    this.set(r2);
    this.get(r2);
    this.get(r2);
    this.lane(mul);
    this.set(r4);
    // q = b(0) + r4·(b(4) + b(8)·r4), b(j) = pair(j) + pair(j + 2)·r2, pair(j) = c_j + r·c_j+1
    const pair = (j: number): void => {
      constant(EXP_TAYLOR + j);
      this.get(r);
      constant(EXP_TAYLOR + j + 1);
      this.lane(mul);
      this.lane(add);
    };
    const block = (j: number): void => {
      pair(j);
      pair(j + 2);
      this.get(r2);
      this.lane(mul);
      this.lane(add);
    };
    block(0);
    this.get(r4);
    block(4);
    block(8);
    this.get(r4);
    this.lane(mul);
    this.lane(add);
    this.lane(mul);
    this.lane(add);
    this.set(q);
    // y = (1 + (r + r2·q)) · 2^k, 2^k being (shifted << 52) + the bits of 1
    constant(EXP_ONE);
    this.get(r);
    this.get(r2);
    this.get(q);
    this.lane(mul);
    this.lane(add);
    this.lane(add);
    this.get(shifted);
    if (this.vector) {
      this.op(OP.i32Const, 52);
      this.simd(SIMD.i64x2Shl);
      constant(EXP_ONE);
      this.simd(SIMD.i64x2Add);
    } else {
      this.op(OP.i64ReinterpretF64, OP.i64Const, 52, OP.i64Shl);
      constant(EXP_ONE);
      this.op(OP.i64ReinterpretF64, OP.i64Add, OP.f64ReinterpretI64);
    }
    this.lane(mul);
    this.set(y);
    // |x| ≤ LIMIT, false for NaN
    const inside = (): void => {
      this.get(x);
      this.lane(INSTRUCTIONS.abs);
      constant(EXP_LIMIT);
      this.lane(COMPARISONS['<=']!);
    };
    const index = WASM_IMPORTS.indexOf('exp');
    if (!this.vector) {
      inside();
      this.op(OP.if, F64);
      this.get(y);
      this.op(OP.else);
      this.get(x);
      this.op(OP.call, index, OP.end);
      return;
    }
    const mask = this.temp();
    inside();
    this.set(mask);
    this.get(mask);
    this.simd(SIMD.i64x2AllTrue);
    this.op(OP.i32Eqz, OP.if, VOID);
    for (const lane of [0, 1]) {
      this.get(mask);
      this.simd(SIMD.i64x2ExtractLane, lane);
      this.op(OP.i64Eqz, OP.if, VOID);
      this.get(y);
      this.get(x);
      this.simd(SIMD.f64x2ExtractLane, lane);
      this.op(OP.call, index);
      this.simd(SIMD.f64x2ReplaceLane, lane);
      this.set(y);
      this.op(OP.end);
    }
    this.op(OP.end);
    this.get(y);
  }

  /** `sign`: −1 below 0, +1 for ±0 and above, NaN kept (`v == v` is false only for NaN). */
  sign(argument: ExprNode): void {
    const v = this.into(argument);
    this.select(
      () => this.constant(-1),
      () =>
        this.select(
          () => this.constant(1),
          () => this.get(v),
          () => {
            this.get(v);
            this.get(v);
            this.lane(COMPARISONS['==']!);
          },
        ),
      () => this.negative(v),
    );
  }

  /** `at < 0` as an i32 or a lane mask. */
  negative(at: number): void {
    this.get(at);
    this.constant(0);
    this.lane(COMPARISONS['<']!);
  }

  /** erf by Abramowitz–Stegun 7.1.26, in the operation order of the table's JavaScript `erf`. */
  erf(argument: ExprNode): void {
    const [p, a1, a2, a3, a4, a5] = ERF_COEFFICIENTS as [number, number, number, number, number, number];
    const mul = ARITHMETIC['*']!;
    const add = ARITHMETIC['+']!;
    const v = this.into(argument);
    const u = this.temp();
    const t = this.temp();
    const e = this.temp();
    this.get(v);
    this.lane(INSTRUCTIONS.abs);
    this.set(u);
    // t = 1 / (1 + p·u)
    this.constant(1);
    this.constant(1);
    this.constant(p);
    this.get(u);
    this.lane(mul);
    this.lane(add);
    this.lane(ARITHMETIC['/']!);
    this.set(t);
    // e = exp(-u · u)
    this.get(u);
    this.lane({ scalar: OP.f64Neg, vector: SIMD.f64x2Neg });
    this.get(u);
    this.lane(mul);
    this.set(e);
    this.call('exp', [e]);
    this.set(e);
    // s · (1 − ((((a5·t + a4)·t + a3)·t + a2)·t + a1)·t·e)
    this.select(
      () => this.constant(-1),
      () => this.constant(1),
      () => this.negative(v),
    );
    this.constant(1);
    this.constant(a5);
    for (const c of [a4, a3, a2, a1]) {
      this.get(t);
      this.lane(mul);
      this.constant(c);
      this.lane(add);
    }
    this.get(t);
    this.lane(mul);
    this.get(e);
    this.lane(mul);
    this.lane(ARITHMETIC['-']!);
    this.lane(mul);
  }
}

/** The built-ins the table lowers inline, each a method of the writer. */
const INLINE: { readonly [I in Inline]: (w: BodyWriter, argument: ExprNode) => void } = {
  sign: (w, argument) => w.sign(argument),
  erf: (w, argument) => w.erf(argument),
};
