import type { WindowGeometry } from '@fbt/tensor';

/** Two source-text names or expressions, for the row and the column axis. */
export type Axes = readonly [string, string];

/**
 * Source lines that set the variables `at` to the input position read by tap `tap` of the window at
 * output position `out`: `out·stride − pad + tap` on each axis. The forward twin of `outputForTap`;
 * `insidePlane` tests the result against the padding.
 */
export function inputForTap(g: WindowGeometry, at: Axes, out: Axes, tap: Axes): string {
  return [
    `const ${at[0]} = ${out[0]} * ${g.sh} - ${g.ph} + ${tap[0]};`,
    `const ${at[1]} = ${out[1]} * ${g.sw} - ${g.pw} + ${tap[1]};`,
  ].join('\n');
}

/**
 * Source lines that find, on each axis, the output position `out` whose window puts tap `tap` on
 * input position `at` (`at = out·stride − pad + tap`), and the booleans `${out}Ok` saying whether it
 * exists in `[0, outSize)`. The gather form of the gradient kernels; the backward twin of `inputForTap`.
 */
export function outputForTap(g: WindowGeometry, out: Axes, at: Axes, tap: Axes): string {
  return [
    outputOnAxis(out[0], at[0], g.ph, tap[0], g.sh, g.oh),
    outputOnAxis(out[1], at[1], g.pw, tap[1], g.sw, g.ow),
  ].join('\n');
}

/** `outputForTap` on one axis. */
function outputOnAxis(
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

/** The condition that input position `at` lies inside the `h × w` plane rather than in the padding. */
export function insidePlane(g: WindowGeometry, at: Axes): string {
  return `${at[0]} >= 0 && ${at[0]} < ${g.h} && ${at[1]} >= 0 && ${at[1]} < ${g.w}`;
}

/** A nested `for` over `[0, n₀) × [0, n₁) …` with the given variable names around `inner`. */
export function loops(vars: readonly (readonly [string, number])[], inner: string): string {
  return vars.reduceRight((body, [v, n]) => `for (let ${v} = 0; ${v} < ${n}; ${v}++) {\n${body}\n}`, inner);
}

/** A nested `for` over the window's taps, `taps[0]` in `[0, kh)` and `taps[1]` in `[0, kw)`, around `inner`. */
export function overWindow(g: WindowGeometry, taps: Axes, inner: string): string {
  return loops(
    [
      [taps[0], g.kh],
      [taps[1], g.kw],
    ],
    inner,
  );
}
