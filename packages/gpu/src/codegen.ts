import { stridesOf, type Shape } from '@fbt/tensor';

/**
 * Source lines that split the flat index `index` (row-major over `shape`) into coordinates
 * named `${prefix}0 … ${prefix}{rank-1}`. Uses exact integer division (`fbtIdiv`).
 */
export function coords(index: string, shape: Shape, prefix: string): string {
  const strides = stridesOf(shape);
  const lines = [`let ${prefix}r = ${index};`];
  for (let d = 0; d < shape.length; d++) {
    const s = strides[d]!;
    if (d === shape.length - 1) lines.push(`const ${prefix}${d} = ${prefix}r;`);
    else {
      lines.push(`const ${prefix}${d} = fbtIdiv(${prefix}r, ${s});`);
      lines.push(`${prefix}r = ${prefix}r - ${prefix}${d} * ${s};`);
    }
  }
  return lines.join('\n');
}

/**
 * The flat offset into a tensor of shape `inShape` read at the output coordinates
 * `${prefix}0 …` of an output of rank `outRank`, NumPy-broadcast (dims of size 1 are not advanced).
 */
export function broadcastOffset(inShape: Shape, outRank: number, prefix: string): string {
  const strides = stridesOf(inShape);
  const terms: string[] = [];
  const shift = outRank - inShape.length;
  for (let d = 0; d < inShape.length; d++) {
    if (inShape[d] === 1) continue;
    terms.push(strides[d] === 1 ? `${prefix}${d + shift}` : `${prefix}${d + shift} * ${strides[d]}`);
  }
  return terms.length === 0 ? '0' : terms.join(' + ');
}

/** A linear combination `Σ coordᵢ·strideᵢ` over named coordinate expressions. */
export function dot(coordinates: readonly string[], strides: readonly number[]): string {
  const terms = coordinates.map((c, i) => (strides[i] === 1 ? c : `(${c}) * ${strides[i]}`));
  return terms.length === 0 ? '0' : terms.join(' + ');
}
