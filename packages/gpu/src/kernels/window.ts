import { ShapeError, formatShape, shapesEqual, type Shape } from '@fbt/tensor';

/** Throws a `ShapeError` naming `op` unless the input `what` has the shape the geometry implies. */
export function assertShape(op: string, what: string, shape: Shape, expected: Shape): void {
  if (!shapesEqual(shape, expected)) {
    throw new ShapeError(`${op}: ${what} has shape ${formatShape(shape)}; expected ${formatShape(expected)}`);
  }
}

/**
 * Source lines that find the output position `${name}` whose window puts tap `tap` on input position
 * `pos` (`pos = out·stride − pad + tap`), and the boolean `${name}Ok` saying whether it exists in
 * `[0, outSize)`. Shared by the conv and pool gradient kernels, which gather instead of scatter.
 */
export function outputForTap(
  name: string,
  pos: string,
  pad: number,
  tap: string,
  stride: number,
  outSize: number,
): string {
  return [
    `const ${name}T = ${pos} + ${pad} - ${tap};`,
    `const ${name} = fbtIdiv(${name}T, ${stride});`,
    `const ${name}Ok = ${name}T >= 0 && ${name}T - ${name} * ${stride} === 0 && ${name} < ${outSize};`,
  ].join('\n');
}

/** A nested `for` over `[0, n₀) × [0, n₁) …` with the given variable names around `inner`. */
export function loops(vars: readonly (readonly [string, number])[], inner: string): string {
  return vars.reduceRight((body, [v, n]) => `for (let ${v} = 0; ${v} < ${n}; ${v}++) {\n${body}\n}`, inner);
}
