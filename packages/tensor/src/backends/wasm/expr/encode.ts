/*
 * The WebAssembly binary encoding the expression compiler writes: opcodes, value types, LEB128
 * integers, vectors, names and sections.
 */

/** Opcodes used by the generated code (SIMD ones follow the 0xfd prefix). */
export const OP = {
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
  i64Const: 0x42,
  f64Const: 0x44,
  i32Eqz: 0x45,
  i64Eqz: 0x50,
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
  i64Add: 0x7c,
  i64Shl: 0x86,
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
  i64ReinterpretF64: 0xbd,
  f64ReinterpretI64: 0xbf,
  simd: 0xfd,
} as const;

/** SIMD opcodes (after 0xfd), as LEB128 byte lists. */
export const SIMD = {
  v128Const: [0x0c],
  f64x2Splat: [0x14],
  i64x2ExtractLane: [0x1d],
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
  i64x2AllTrue: [0xc3, 0x01],
  i64x2Shl: [0xcb, 0x01],
  i64x2Add: [0xce, 0x01],
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

/** Value type `i32`. */
export const I32 = 0x7f;
/** Value type `f64`. */
export const F64 = 0x7c;
/** Value type `v128`. */
export const V128 = 0x7b;
/** The empty block type. */
export const VOID = 0x40;

/** `value` as unsigned LEB128 bytes. */
export const leb = (value: number): number[] => {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
};

/** A vector: its length, then its items. */
export const vec = (items: readonly number[][]): number[] => [...leb(items.length), ...items.flat()];

/** A name: its length, then its (ASCII) characters. */
export const bytesOf = (text: string): number[] => [
  ...leb(text.length),
  ...Array.from(text, (c) => c.charCodeAt(0)),
];

/** A section with id `id`. */
export const section = (id: number, contents: number[]): number[] => [
  id,
  ...leb(contents.length),
  ...contents,
];

/** The eight little-endian bytes of a float64. */
export const f64Bytes = (value: number): number[] =>
  Array.from(new Uint8Array(new Float64Array([value]).buffer));
