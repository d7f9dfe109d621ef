import { EXPR_FUNCTION_TABLE, WASM_IMPORTS } from '../../formula/functions';
import type { ExprNode } from '../../formula/parse';
import { F64, I32, OP, SIMD, V128, VOID, bytesOf, leb, section, vec } from './expr/encode';
import { F32x4Writer, V128_LOAD, V128_STORE, f32Lowerable } from './expr/f32';
import { EXP_CONSTANTS } from './expr/exp';
import { BodyWriter } from './expr/lower';

/** A compiled formula module and the hidden parameters it reads after the formula's own. */
export interface ExprModule {
  readonly bytes: Uint8Array<ArrayBuffer>;
  /**
   * Written by the caller after the formula's `params`: the inline `exp`'s constants
   * (expr/exp.ts) when the lowered formula evaluates `exp` (directly or inside another function),
   * none otherwise.
   */
  readonly constants: readonly number[];
}

/** True when lowering `root` evaluates the inline `exp` (it reads one of its constants). */
function usesExp(root: ExprNode): boolean {
  let used = false;
  new BodyWriter(
    false,
    (k) => k,
    (j) => j,
    0,
    (j) => ((used = true), j),
  ).node(root);
  return used;
}

/**
 * Compiles a parsed expression into a wasm module exporting
 * `run(out, in₀ … inₖ₋₁, n, params)`: for i < n, `out[i] = expr` (float32) with input k read at
 * `inₖ[i]` (float32, or int32 where `intInputs[k]`) and param j read as a float64 at `params + 8j`
 * (then the module's `constants`). Pairs of elements run in f64x2 lanes and an odd last element in
 * the scalar loop; every value is a float64, so the result equals the cpu backend's compiled
 * JavaScript loop up to how `exp log tanh pow` round (`exp` inline, see expr/exp.ts). The module
 * imports the memory (`env.memory`; shared with at most `sharedMaximumPages` pages when given, as
 * the threaded kernel module's is) and those four functions (`m.*`).
 */
export function emitExprModule(
  root: ExprNode,
  intInputs: readonly boolean[],
  params: number,
  sharedMaximumPages?: number,
): ExprModule {
  const inputs = intInputs.length;
  const constants = usesExp(root) ? EXP_CONSTANTS : [];
  const hidden = constants.length;
  // Arguments: out, in₀…, n, params. Locals: i; f64 x₀…, p₀…, temporaries; v128 x₀…, p₀…, temporaries.
  const nArg = inputs + 1;
  const paramsArg = inputs + 2;
  const i = inputs + 3;
  const f64Base = inputs + 4;
  // The expression over locals from `base` on: inputs, then params, then its temporaries.
  const lowered = (vector: boolean, base: number): BodyWriter => {
    const writer = new BodyWriter(
      vector,
      (k) => base + k,
      (j) => base + inputs + j,
      base + inputs + params + hidden,
      hidden === 0 ? null : (j) => base + inputs + params + j,
    );
    writer.node(root);
    return writer;
  };
  const scalar = lowered(false, f64Base);
  const f64Count = inputs + params + hidden + scalar.temps;
  const v128Base = f64Base + f64Count;
  const vector = lowered(true, v128Base);
  let v128Count = inputs + params + hidden + vector.temps;
  // Formulas that float32 evaluates to the same bits: four elements a v128 first (see expr/f32.ts).
  let quad: F32x4Writer | null = null;
  if (params === 0 && f32Lowerable(root, intInputs)) {
    const quadBase = v128Base + v128Count;
    let temps = 0;
    quad = new F32x4Writer(
      (k) => quadBase + k,
      () => quadBase + inputs + temps++,
    );
    quad.node(root);
    v128Count += inputs + temps;
  }

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
  for (let j = 0; j < params + hidden; j++) {
    w.get(paramsArg);
    w.op(OP.f64Load, 3, ...leb(8 * j));
    w.set(f64Base + inputs + j);
    w.get(f64Base + inputs + j);
    w.simd(SIMD.f64x2Splat);
    w.set(v128Base + inputs + j);
  }
  if (quad !== null) {
    // Quads: while i + 4 <= n.
    const quadBase = v128Base + inputs + params + vector.temps;
    w.op(OP.block, VOID, OP.loop, VOID);
    w.get(i);
    w.op(OP.i32Const, 4, OP.i32Add);
    w.get(nArg);
    w.op(OP.i32GtS, OP.brIf, 1);
    for (let k = 0; k < inputs; k++) {
      address(k + 1);
      w.op(...V128_LOAD);
      w.set(quadBase + k);
    }
    address(0);
    w.code.push(...quad.code);
    w.op(...V128_STORE);
    step(4);
    w.op(OP.br, 0, OP.end, OP.end);
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
    // Type 1 is (f64) → f64 and type 2 is (f64, f64) → f64: an import's type index is its arity.
    ...WASM_IMPORTS.map((name) => [...bytesOf('m'), ...bytesOf(name), 0x00, EXPR_FUNCTION_TABLE[name].arity]),
  ]);
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec([runType, unaryType, binaryType])),
    ...section(2, imports),
    ...section(3, vec([[0]])),
    ...section(7, vec([[...bytesOf('run'), 0x00, WASM_IMPORTS.length]])),
    ...section(10, vec([[...leb(code.length), ...code]])),
  ];
  return { bytes: Uint8Array.from(bytes), constants };
}
