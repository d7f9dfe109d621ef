import { ERF_COEFFICIENTS } from '../../../expr-syntax';
import type { ExprNode } from './parse';

/** Opcodes used by the generated code. */
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
  localTee: 0x22,
  i32Load: 0x28,
  f32Load: 0x2a,
  f64Load: 0x2b,
  f32Store: 0x38,
  i32Const: 0x41,
  f64Const: 0x44,
  i32Eqz: 0x45,
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
} as const;

const I32 = 0x7f;
const F64 = 0x7c;
const VOID = 0x40;

/** Elementary functions the generated code imports (module `m`), in function-index order. */
export const IMPORTED_FUNCTIONS = ['exp', 'log', 'tanh', 'pow'] as const;

const BINARY_OPS: Readonly<Record<string, number>> = {
  '+': OP.f64Add,
  '-': OP.f64Sub,
  '*': OP.f64Mul,
  '/': OP.f64Div,
};

const COMPARISONS: Readonly<Record<string, number>> = {
  '<': OP.f64Lt,
  '<=': OP.f64Le,
  '>': OP.f64Gt,
  '>=': OP.f64Ge,
  '==': OP.f64Eq,
  '===': OP.f64Eq,
  '!=': OP.f64Ne,
  '!==': OP.f64Ne,
};

function unsigned(value: number, out: number[]): void {
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
}

const vec = (items: readonly number[][]): number[] => {
  const out: number[] = [];
  unsigned(items.length, out);
  for (const item of items) out.push(...item);
  return out;
};

const bytesOf = (text: string): number[] => {
  const out: number[] = [];
  unsigned(text.length, out);
  for (let i = 0; i < text.length; i++) out.push(text.charCodeAt(i));
  return out;
};

const section = (id: number, contents: number[]): number[] => {
  const out = [id];
  unsigned(contents.length, out);
  return out.concat(contents);
};

/** Emits the body of the element loop: the value of each node as an f64 on the stack. */
class BodyWriter {
  readonly code: number[] = [];
  temps = 0;

  constructor(
    private readonly inputLocal: (index: number) => number,
    private readonly paramLocal: (index: number) => number,
    private readonly tempBase: number,
  ) {}

  op(...bytes: number[]): void {
    this.code.push(...bytes);
  }

  f64(value: number): void {
    this.op(OP.f64Const);
    const bytes = new Uint8Array(new Float64Array([value]).buffer);
    this.code.push(...bytes);
  }

  temp(): number {
    return this.tempBase + this.temps++;
  }

  /** Leaves JavaScript truthiness of the f64 in local `at` (x ≠ 0 and not NaN) as an i32. */
  truthy(at: number): void {
    this.op(OP.localGet, ...this.index(at));
    this.f64(0);
    this.op(OP.f64Ne, OP.localGet, ...this.index(at), OP.localGet, ...this.index(at), OP.f64Eq, OP.i32And);
  }

  index(at: number): number[] {
    const out: number[] = [];
    unsigned(at, out);
    return out;
  }

  get(at: number): void {
    this.op(OP.localGet, ...this.index(at));
  }

  set(at: number): void {
    this.op(OP.localSet, ...this.index(at));
  }

  /** Evaluates `node` into a fresh temporary local and returns its index. */
  into(node: ExprNode): number {
    this.node(node);
    const at = this.temp();
    this.set(at);
    return at;
  }

  call(name: (typeof IMPORTED_FUNCTIONS)[number]): void {
    this.op(OP.call, IMPORTED_FUNCTIONS.indexOf(name));
  }

  node(n: ExprNode): void {
    switch (n.kind) {
      case 'number':
        return this.f64(n.value);
      case 'input':
        return this.get(this.inputLocal(n.index));
      case 'param':
        return this.get(this.paramLocal(n.index));
      case 'unary':
        if (n.op === '!') {
          const at = this.into(n.arg);
          this.truthy(at);
          this.op(OP.i32Eqz, OP.f64ConvertI32U);
        } else {
          this.node(n.arg);
          if (n.op === '-') this.op(OP.f64Neg);
        }
        return;
      case 'binary':
        return this.binary(n.op, n.left, n.right);
      case 'conditional': {
        const at = this.into(n.test);
        this.truthy(at);
        this.op(OP.if, F64);
        this.node(n.then);
        this.op(OP.else);
        this.node(n.otherwise);
        this.op(OP.end);
        return;
      }
      case 'call':
        return this.callNode(n.fn, n.args);
    }
  }

  binary(op: string, left: ExprNode, right: ExprNode): void {
    if (op === '&&' || op === '||') {
      // JavaScript returns an operand: a && b is (a truthy ? b : a), a || b is (a truthy ? a : b).
      const at = this.into(left);
      this.truthy(at);
      this.op(OP.if, F64);
      if (op === '&&') this.node(right);
      else this.get(at);
      this.op(OP.else);
      if (op === '&&') this.get(at);
      else this.node(right);
      this.op(OP.end);
      return;
    }
    this.node(left);
    this.node(right);
    const comparison = COMPARISONS[op];
    if (comparison !== undefined) this.op(comparison, OP.f64ConvertI32U);
    else this.op(BINARY_OPS[op]!);
  }

  callNode(fn: string, args: readonly ExprNode[]): void {
    const arg = (k: number): void => (args[k] === undefined ? this.f64(NaN) : this.node(args[k]));
    switch (fn) {
      case 'exp':
      case 'log':
      case 'tanh':
        arg(0);
        return this.call(fn);
      case 'pow':
        arg(0);
        arg(1);
        return this.call('pow');
      case 'abs':
        arg(0);
        return this.op(OP.f64Abs);
      case 'sqrt':
        arg(0);
        return this.op(OP.f64Sqrt);
      case 'floor':
        arg(0);
        return this.op(OP.f64Floor);
      case 'min':
      case 'max': {
        if (args.length === 0) return this.f64(fn === 'min' ? Infinity : -Infinity);
        this.node(args[0]!);
        for (const a of args.slice(1)) {
          this.node(a);
          this.op(fn === 'min' ? OP.f64Min : OP.f64Max);
        }
        return;
      }
      case 'sign': {
        // sign(v) = v < 0 ? -1 : 1 (sign(0) = 1, NaN gives 1 as in the cpu prelude).
        const at = args[0] === undefined ? null : this.into(args[0]);
        this.f64(-1);
        this.f64(1);
        if (at === null) this.f64(NaN);
        else this.get(at);
        this.f64(0);
        this.op(OP.f64Lt, OP.select);
        return;
      }
      default:
        return this.erf(args[0]);
    }
  }

  /** erf by Abramowitz–Stegun 7.1.26, in the cpu prelude's operation order. */
  erf(argument: ExprNode | undefined): void {
    const [p, a1, a2, a3, a4, a5] = ERF_COEFFICIENTS as [number, number, number, number, number, number];
    const v = argument === undefined ? this.temp() : this.into(argument);
    if (argument === undefined) {
      this.f64(NaN);
      this.set(v);
    }
    const u = this.temp();
    const t = this.temp();
    this.get(v);
    this.op(OP.f64Abs);
    this.set(u);
    this.f64(1);
    this.f64(1);
    this.f64(p);
    this.get(u);
    this.op(OP.f64Mul, OP.f64Add, OP.f64Div);
    this.set(t);
    // s
    this.f64(-1);
    this.f64(1);
    this.get(v);
    this.f64(0);
    this.op(OP.f64Lt, OP.select);
    // 1 - ((((a5 t + a4) t + a3) t + a2) t + a1) t exp(-u u)
    this.f64(1);
    this.f64(a5);
    for (const c of [a4, a3, a2, a1]) {
      this.get(t);
      this.op(OP.f64Mul);
      this.f64(c);
      this.op(OP.f64Add);
    }
    this.get(t);
    this.op(OP.f64Mul);
    this.get(u);
    this.op(OP.f64Neg);
    this.get(u);
    this.op(OP.f64Mul);
    this.call('exp');
    this.op(OP.f64Mul, OP.f64Sub, OP.f64Mul);
  }
}

/**
 * Compiles a parsed expression into a wasm module exporting
 * `run(out, in₀ … inₖ₋₁, n, params)`: for i < n, `out[i] = expr` (float32) with input k read at
 * `inₖ[i]` (float32, or int32 where `intInputs[k]`) and param j read as a float64 at `params + 8j`.
 * Every value is a float64, booleans are 1/0, and `&& || ! ?:` follow JavaScript truthiness, so
 * the result equals the cpu backend's compiled JavaScript loop up to how `exp log tanh pow` round.
 * The module imports the memory (`env.memory`) and those four functions (`m.*`).
 */
export function emitExprModule(
  root: ExprNode,
  intInputs: readonly boolean[],
  params: number,
): Uint8Array<ArrayBuffer> {
  const inputs = intInputs.length;
  // Locals: out, in₀…, n, params (arguments), then i, x₀…, p₀…, temporaries.
  const nLocal = inputs + 1;
  const paramsLocal = inputs + 2;
  const iLocal = inputs + 3;
  const xLocal = (k: number): number => inputs + 4 + k;
  const pLocal = (j: number): number => inputs + 4 + inputs + j;
  const body = new BodyWriter(xLocal, pLocal, inputs + 4 + inputs + params);
  body.node(root);

  const w = new BodyWriter(xLocal, pLocal, 0);
  for (let j = 0; j < params; j++) {
    w.get(paramsLocal);
    w.op(OP.f64Load, 3);
    w.code.push(...w.index(8 * j));
    w.set(pLocal(j));
  }
  w.op(OP.block, VOID, OP.loop, VOID);
  w.get(iLocal);
  w.get(nLocal);
  w.op(OP.i32GeS, OP.brIf, 1);
  for (let k = 0; k < inputs; k++) {
    w.get(k + 1);
    w.get(iLocal);
    w.op(OP.i32Const, 2, OP.i32Shl, OP.i32Add);
    if (intInputs[k]) w.op(OP.i32Load, 2, 0, OP.f64ConvertI32S);
    else w.op(OP.f32Load, 2, 0, OP.f64PromoteF32);
    w.set(xLocal(k));
  }
  w.get(0);
  w.get(iLocal);
  w.op(OP.i32Const, 2, OP.i32Shl, OP.i32Add);
  w.code.push(...body.code);
  w.op(OP.f32DemoteF64, OP.f32Store, 2, 0);
  w.get(iLocal);
  w.op(OP.i32Const, 1, OP.i32Add);
  w.set(iLocal);
  w.op(OP.br, 0, OP.end, OP.end, OP.end);

  const f64Locals = inputs + params + body.temps;
  const f64Count: number[] = [];
  unsigned(f64Locals, f64Count);
  const locals = vec([
    [1, I32],
    [...f64Count, F64],
  ]);
  const code = [...locals, ...w.code];
  const sizedCode: number[] = [];
  unsigned(code.length, sizedCode);
  sizedCode.push(...code);

  const runType = [0x60, ...vec(Array.from({ length: inputs + 3 }, () => [I32])), 0];
  const unaryType = [0x60, 1, F64, 1, F64];
  const binaryType = [0x60, 2, F64, F64, 1, F64];
  const imports = vec([
    [...bytesOf('env'), ...bytesOf('memory'), 0x02, 0x00, 0x00],
    ...IMPORTED_FUNCTIONS.map((name) => [...bytesOf('m'), ...bytesOf(name), 0x00, name === 'pow' ? 2 : 1]),
  ]);
  const bytes = [
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, vec([runType, unaryType, binaryType])),
    ...section(2, imports),
    ...section(3, vec([[0]])),
    ...section(7, vec([[...bytesOf('run'), 0x00, IMPORTED_FUNCTIONS.length]])),
    ...section(10, vec([sizedCode])),
  ];
  return Uint8Array.from(bytes);
}
