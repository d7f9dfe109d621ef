import { ERF_COEFFICIENTS } from '../../../expr-syntax';
import type { ExprNode } from './parse';

/** Opcodes used by the generated code (SIMD ones follow the 0xfd prefix). */
const OP = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  call: 0x10,
  select: 0x1b,
  localGet: 0x20,
  localSet: 0x21,
  i32Load: 0x28,
  f32Load: 0x2a,
  f64Load: 0x2b,
  f32Store: 0x38,
  i32Const: 0x41,
  f64Const: 0x44,
  i32Eqz: 0x45,
  i32GtS: 0x4a,
  i32GeS: 0x4e,
  f64Eq: 0x61,
  f64Ne: 0x62,
  f64Lt: 0x63,
  f64Gt: 0x64,
  f64Le: 0x65,
  f64Ge: 0x66,
  i32Add: 0x6a,
  i32And: 0x71,
  i32Shl: 0x74,
  f64Abs: 0x99,
  f64Neg: 0x9a,
  f64Floor: 0x9c,
  f64Sqrt: 0x9f,
  f64Add: 0xa0,
  f64Sub: 0xa1,
  f64Mul: 0xa2,
  f64Div: 0xa3,
  f64Min: 0xa4,
  f64Max: 0xa5,
  f32DemoteF64: 0xb6,
  f64ConvertI32S: 0xb7,
  f64ConvertI32U: 0xb8,
  f64PromoteF32: 0xbb,
  simd: 0xfd,
} as const;

/** SIMD opcodes (after 0xfd), as LEB128 byte lists. */
const SIMD = {
  v128Const: [0x0c],
  f64x2Splat: [0x14],
  f64x2ExtractLane: [0x21],
  f64x2ReplaceLane: [0x22],
  f64x2Eq: [0x47],
  f64x2Ne: [0x48],
  f64x2Lt: [0x49],
  f64x2Gt: [0x4a],
  f64x2Le: [0x4b],
  f64x2Ge: [0x4c],
  v128Not: [0x4d],
  v128And: [0x4e],
  v128Bitselect: [0x52],
  v128Store64Lane: [0x5b],
  v128Load64Zero: [0x5d],
  f32x4DemoteF64x2Zero: [0x5e],
  f64x2PromoteLowF32x4: [0x5f],
  f64x2Floor: [0x75],
  f64x2Abs: [0xec, 0x01],
  f64x2Neg: [0xed, 0x01],
  f64x2Sqrt: [0xef, 0x01],
  f64x2Add: [0xf0, 0x01],
  f64x2Sub: [0xf1, 0x01],
  f64x2Mul: [0xf2, 0x01],
  f64x2Div: [0xf3, 0x01],
  f64x2Min: [0xf4, 0x01],
  f64x2Max: [0xf5, 0x01],
  f64x2ConvertLowI32x4S: [0xfe, 0x01],
} as const;

const I32 = 0x7f;
const F64 = 0x7c;
const V128 = 0x7b;
const VOID = 0x40;

/** Elementary functions the generated code imports (module `m`), in function-index order. */
export const IMPORTED_FUNCTIONS = ['exp', 'log', 'tanh', 'pow'] as const;
type Imported = (typeof IMPORTED_FUNCTIONS)[number];

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

const UNARY_MATH: Readonly<Record<string, LaneOp>> = {
  abs: { scalar: OP.f64Abs, vector: SIMD.f64x2Abs },
  sqrt: { scalar: OP.f64Sqrt, vector: SIMD.f64x2Sqrt },
  floor: { scalar: OP.f64Floor, vector: SIMD.f64x2Floor },
  min: { scalar: OP.f64Min, vector: SIMD.f64x2Min },
  max: { scalar: OP.f64Max, vector: SIMD.f64x2Max },
};

function unsigned(value: number, out: number[]): void {
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
}

const leb = (value: number): number[] => {
  const out: number[] = [];
  unsigned(value, out);
  return out;
};

const vec = (items: readonly number[][]): number[] => [...leb(items.length), ...items.flat()];

const bytesOf = (text: string): number[] => [
  ...leb(text.length),
  ...Array.from(text, (c) => c.charCodeAt(0)),
];

const section = (id: number, contents: number[]): number[] => [id, ...leb(contents.length), ...contents];

const f64Bytes = (value: number): number[] => Array.from(new Uint8Array(new Float64Array([value]).buffer));

/**
 * Emits code that leaves the value of an expression node on the stack: one float64 (scalar
 * writer) or two in an f64x2 (vector writer). Both follow JavaScript: booleans are 1/0 and
 * `&& || ! ?:` test truthiness (≠ 0 and not NaN). The vector writer evaluates both branches of a
 * conditional and blends them, which is equivalent since formulas have no side effects.
 */
class BodyWriter {
  readonly code: number[] = [];
  temps = 0;

  constructor(
    private readonly vector: boolean,
    private readonly inputLocal: (index: number) => number,
    private readonly paramLocal: (index: number) => number,
    private readonly tempBase: number,
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
  into(node: ExprNode | undefined): number {
    if (node === undefined) this.constant(NaN);
    else this.node(node);
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
    const index = IMPORTED_FUNCTIONS.indexOf(name);
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

  callNode(fn: string, args: readonly ExprNode[]): void {
    switch (fn) {
      case 'exp':
      case 'log':
      case 'tanh':
        return this.call(fn, [this.into(args[0])]);
      case 'pow':
        return this.call('pow', [this.into(args[0]), this.into(args[1])]);
      case 'abs':
      case 'sqrt':
      case 'floor':
        if (args[0] === undefined) this.constant(NaN);
        else this.node(args[0]);
        return this.lane(UNARY_MATH[fn]!);
      case 'min':
      case 'max': {
        if (args.length === 0) return this.constant(fn === 'min' ? Infinity : -Infinity);
        this.node(args[0]!);
        for (const a of args.slice(1)) {
          this.node(a);
          this.lane(UNARY_MATH[fn]!);
        }
        return;
      }
      case 'sign': {
        // sign(v) = v < 0 ? -1 : 1 (sign(0) = 1; NaN gives 1, as in the cpu prelude).
        const at = this.into(args[0]);
        return this.select(
          () => this.constant(-1),
          () => this.constant(1),
          () => this.negative(at),
        );
      }
      default:
        return this.erf(args[0]);
    }
  }

  /** `at < 0` as an i32 or a lane mask. */
  negative(at: number): void {
    this.get(at);
    this.constant(0);
    this.lane(COMPARISONS['<']!);
  }

  /** erf by Abramowitz–Stegun 7.1.26, in the cpu prelude's operation order. */
  erf(argument: ExprNode | undefined): void {
    const [p, a1, a2, a3, a4, a5] = ERF_COEFFICIENTS as [number, number, number, number, number, number];
    const mul = ARITHMETIC['*']!;
    const add = ARITHMETIC['+']!;
    const v = this.into(argument);
    const u = this.temp();
    const t = this.temp();
    const e = this.temp();
    this.get(v);
    this.lane(UNARY_MATH.abs!);
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

/**
 * Compiles a parsed expression into a wasm module exporting
 * `run(out, in₀ … inₖ₋₁, n, params)`: for i < n, `out[i] = expr` (float32) with input k read at
 * `inₖ[i]` (float32, or int32 where `intInputs[k]`) and param j read as a float64 at `params + 8j`.
 * Pairs of elements run in f64x2 lanes and an odd last element in the scalar loop; every value is
 * a float64, so the result equals the cpu backend's compiled JavaScript loop up to how
 * `exp log tanh pow` round. The module imports the memory (`env.memory`; shared with at most
 * `sharedMaximumPages` pages when given, as the threaded kernel module's is) and those four
 * functions (`m.*`).
 */
export function emitExprModule(
  root: ExprNode,
  intInputs: readonly boolean[],
  params: number,
  sharedMaximumPages?: number,
): Uint8Array<ArrayBuffer> {
  const inputs = intInputs.length;
  // Arguments: out, in₀…, n, params. Locals: i; f64 x₀…, p₀…, temporaries; v128 x₀…, p₀…, temporaries.
  const nArg = inputs + 1;
  const paramsArg = inputs + 2;
  const i = inputs + 3;
  const f64Base = inputs + 4;
  const scalar = new BodyWriter(
    false,
    (k) => f64Base + k,
    (j) => f64Base + inputs + j,
    f64Base + inputs + params,
  );
  scalar.node(root);
  const f64Count = inputs + params + scalar.temps;
  const v128Base = f64Base + f64Count;
  const vector = new BodyWriter(
    true,
    (k) => v128Base + k,
    (j) => v128Base + inputs + j,
    v128Base + inputs + params,
  );
  vector.node(root);
  const v128Count = inputs + params + vector.temps;

  const w = new BodyWriter(
    false,
    () => 0,
    () => 0,
    0,
  );
  const address = (base: number): void => {
    w.get(base);
    w.get(i);
    w.op(OP.i32Const, 2, OP.i32Shl, OP.i32Add);
  };
  const step = (by: number): void => {
    w.get(i);
    w.op(OP.i32Const, by, OP.i32Add);
    w.set(i);
  };
  for (let j = 0; j < params; j++) {
    w.get(paramsArg);
    w.op(OP.f64Load, 3, ...leb(8 * j));
    w.set(f64Base + inputs + j);
    w.get(f64Base + inputs + j);
    w.simd(SIMD.f64x2Splat);
    w.set(v128Base + inputs + j);
  }
  // Pairs: while i + 2 <= n.
  w.op(OP.block, VOID, OP.loop, VOID);
  w.get(i);
  w.op(OP.i32Const, 2, OP.i32Add);
  w.get(nArg);
  w.op(OP.i32GtS, OP.brIf, 1);
  for (let k = 0; k < inputs; k++) {
    address(k + 1);
    w.simd(SIMD.v128Load64Zero, 2, 0);
    w.simd(intInputs[k] ? SIMD.f64x2ConvertLowI32x4S : SIMD.f64x2PromoteLowF32x4);
    w.set(v128Base + k);
  }
  address(0);
  w.code.push(...vector.code);
  w.simd(SIMD.f32x4DemoteF64x2Zero);
  w.simd(SIMD.v128Store64Lane, 2, 0, 0);
  step(2);
  w.op(OP.br, 0, OP.end, OP.end);
  // The last element when n is odd.
  w.op(OP.block, VOID, OP.loop, VOID);
  w.get(i);
  w.get(nArg);
  w.op(OP.i32GeS, OP.brIf, 1);
  for (let k = 0; k < inputs; k++) {
    address(k + 1);
    if (intInputs[k]) w.op(OP.i32Load, 2, 0, OP.f64ConvertI32S);
    else w.op(OP.f32Load, 2, 0, OP.f64PromoteF32);
    w.set(f64Base + k);
  }
  address(0);
  w.code.push(...scalar.code);
  w.op(OP.f32DemoteF64, OP.f32Store, 2, 0);
  step(1);
  w.op(OP.br, 0, OP.end, OP.end, OP.end);

  const locals = vec([
    [1, I32],
    [...leb(f64Count), F64],
    [...leb(v128Count), V128],
  ]);
  const code = [...locals, ...w.code];

  const runType = [0x60, ...vec(Array.from({ length: inputs + 3 }, () => [I32])), 0];
  const unaryType = [0x60, 1, F64, 1, F64];
  const binaryType = [0x60, 2, F64, F64, 1, F64];
  const imports = vec([
    [
      ...bytesOf('env'),
      ...bytesOf('memory'),
      0x02,
      ...(sharedMaximumPages === undefined ? [0x00, 0x00] : [0x03, 0x00, ...leb(sharedMaximumPages)]),
    ],
    ...IMPORTED_FUNCTIONS.map((name) => [...bytesOf('m'), ...bytesOf(name), 0x00, name === 'pow' ? 2 : 1]),
  ]);
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec([runType, unaryType, binaryType])),
    ...section(2, imports),
    ...section(3, vec([[0]])),
    ...section(7, vec([[...bytesOf('run'), 0x00, IMPORTED_FUNCTIONS.length]])),
    ...section(10, vec([[...leb(code.length), ...code]])),
  ];
  return Uint8Array.from(bytes);
}
