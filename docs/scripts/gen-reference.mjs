#!/usr/bin/env node
/**
 * Writes the generated reference pages of the docs site from @fbt/surrogates' formula table:
 * `reference/rules.md` (every backward rule) and `reference/activations.md` (every forward
 * activation), each entry with its parameters, its formula (rendered as math, with the LaTeX
 * source in a collapsible block), the expression the kernels compile, and an SVG plot computed
 * with the package itself: φ and φ′ for an activation; ψ against the derivative it replaces for a
 * rule; the gradient before and after for a transform. The summary tables carry thumbnails.
 *
 * It imports the BUILT packages (their `dist`), so run it after `@fbt/surrogates` is built; the
 * docs' `build` and `dev` scripts run it before VitePress. The pages are git-ignored: they are
 * always regenerated, never edited by hand.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { stdout } from 'node:process';
import { fileURLToPath } from 'node:url';
import { barPlot, linePlot, thumbnail } from './plot.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const referenceDir = join(here, '..', 'reference');
/** Partials included by hand-written pages (git-ignored, never pages themselves). */
const generatedDir = join(here, '..', '_generated');

/** The grid every plot is computed on: z (or g) ∈ [-3, 3] in steps of 0.05. */
const GRID = Array.from({ length: 121 }, (_, i) => -3 + i * 0.05);
/** The points of the small value tables (hand-checkable). */
const TABLE_POINTS = [-2, -1, -0.5, 0, 0.5, 1, 2];
/** Rules that read φ'(z) are drawn for an example forward activation. */
const EXAMPLE_FORWARD = { tied: 'logistic', support: 'relu' };
/**
 * The forward whose zero derivative a rule that does not read φ' replaces in the plots: `sign` for
 * the binary-network surrogates, the Heaviside step for every other rule.
 */
const REPLACED_FORWARD = { clippedSte: 'sign', approxSign: 'sign', swishSign: 'sign' };
/** Seed of the draws shown for stochastic rules. */
const SAMPLE_SEED = 0;
/** The rules of the home page's figure, drawn for a Heaviside forward. */
const HOME_RULES = ['rectangular', 'triangular', 'sigmoidSurrogate'];
/** The example gradient on which the reduction transforms (`clipNorm`, `centralize`) are shown. */
const EXAMPLE_GRADIENT = [0.9, -0.4, 1.3, 0.2, -1.1, 0.7, 0.5, -0.3];

const FAMILY_TITLES = {
  paper: 'Rules of the paper',
  direction: 'Direction rules',
  transform: 'Gradient transforms',
  surrogate: 'Surrogate gradients of spiking and binary networks',
  user: 'Registered rules',
};

const FAMILY_INTROS = {
  paper:
    'The backward rules studied in arXiv 2509.07236: the tied derivative, constant and windowed replacements, and the three kinds of jamming.',
  direction: 'Rules defined from the forward activation’s derivative, keeping only its support.',
  transform:
    'Maps of the upstream gradient g itself rather than a factor ψ(z); chain them after a rule with `compose`.',
  surrogate:
    'Surrogate gradients from the spiking-network (SNN) and binary-network (BNN) literature, meant for `heaviside` and `sign` forwards.',
  user: 'Rules added with `register` before this page was generated.',
};

/** Imports a built workspace package, with a hint when it is not built. */
async function loadBuilt(name) {
  try {
    return await import(name);
  } catch (error) {
    throw new Error(
      `gen-reference: cannot import the built ${name}. Build the packages first, ` +
        'e.g. `pnpm turbo run build --filter=@fbt/docs^...` at the repository root. Cause: ' +
        String(error && error.message ? error.message : error),
    );
  }
}

/** Formats a number for the value tables and captions: up to four decimals, no trailing zeros. */
function fmt(value) {
  if (Number.isNaN(value)) return 'NaN';
  const rounded = Math.round(value * 1e4) / 1e4;
  return Object.is(rounded, -0) ? '0' : String(rounded).replace('-', '−');
}

/** Escapes the characters that would end a Markdown table cell or open an HTML tag. */
function cell(text) {
  return text.replaceAll('|', '\\|').replaceAll('<', '&lt;');
}

/** A Markdown code span that survives any backtick in its content. */
function code(text) {
  const fence = text.includes('`') ? '``' : '`';
  return `${fence}${text}${fence}`;
}

/**
 * Display math for one or more LaTeX formulas, followed by their source in a collapsible block
 * (a code block with a copy button). `formulas` are complete LaTeX strings.
 */
function math(formulas) {
  return [
    ...formulas.flatMap((tex) => ['$$', tex, '$$', '']),
    '<details class="fbt-tex"><summary>LaTeX source</summary>',
    '',
    '```tex',
    ...formulas,
    '```',
    '',
    '</details>',
    '',
  ];
}

/** "a = −0.5, b = 0.5", or "no parameters". */
function defaults(params) {
  return params.length === 0
    ? 'no parameters'
    : `default parameters ${params.map((p) => `${p.name} = ${fmt(p.default)}`).join(', ')}`;
}

function paramTable(params) {
  if (params.length === 0) return ['No parameters.'];
  return [
    '| parameter | default | range | meaning |',
    '| --- | --- | --- | --- |',
    ...params.map((p) => `| \`${p.name}\` | ${p.default} | ${cell(p.range)} | ${cell(p.doc)} |`),
  ];
}

function valueTable(variable, rows) {
  return [
    `| ${variable} | ${TABLE_POINTS.map((v) => `${fmt(v)}`).join(' | ')} |`,
    `| --- | ${TABLE_POINTS.map(() => '---').join(' | ')} |`,
    ...rows.map(([name, values]) => `| ${name} | ${values.map(fmt).join(' | ')} |`),
  ];
}

function aliasLine(aliases) {
  return aliases.length === 0 ? [] : [`Also: ${aliases.map((a) => `\`${a}\``).join(', ')}.`, ''];
}

function usageLine(name, params) {
  const args = params.length === 0 ? '' : `, { ${params.map((p) => `${p.name}: ${p.default}`).join(', ')} }`;
  return `rule('${name}'${args})`;
}

/** A figure: the plot and its caption. */
function figure(svg, caption) {
  return [`<figure class="fbt-plot">`, svg, `<figcaption>${caption}</figcaption>`, `</figure>`, ''];
}

/**
 * The plot of a factor rule: ψ(z) against the derivative φ′(z) it replaces, with φ(z) itself for
 * context. Rules that read φ′ (`dphi`) are drawn for an example forward; the others against the
 * zero derivative of the Heaviside step (or of sign, for the binary-network surrogates).
 */
function factorPlot(row, surrogates) {
  const usesDphi = row.expression.includes('dphi');
  const forward = usesDphi
    ? (EXAMPLE_FORWARD[row.name] ?? 'logistic')
    : (REPLACED_FORWARD[row.name] ?? 'heaviside');
  const { value, derivative } = surrogates.activationFormulas(forward);
  const psi = Array.from(surrogates.sample(row.name, GRID, { forward, seed: SAMPLE_SEED }));
  const series = [
    {
      label: `ψ(z): ${row.name}${row.draw ? ` (one draw, seed ${SAMPLE_SEED})` : ''}`,
      values: psi,
      style: row.draw ? 'dots' : 'solid',
    },
    {
      label: `φ′(z): the derivative of ${forward} it replaces`,
      values: GRID.map(derivative),
      style: 'dashed',
    },
    { label: `φ(z): ${forward}`, values: GRID.map(value), style: 'dotted' },
  ];
  const notes = [
    defaults(row.params),
    usesDphi ? `for φ = ${forward}` : `φ = ${forward}, whose φ′ is 0 almost everywhere`,
  ];
  return {
    svg: linePlot({
      xs: GRID,
      series,
      xLabel: 'pre-activation z',
      yLabel: 'factor on g',
      title: `${row.name}: ψ(z) against φ′(z) of ${forward}`,
    }),
    thumb: thumbnail({ xs: GRID, values: psi, title: `${row.name}: ψ(z)` }),
    caption: `ψ(z) for z ∈ [−3, 3] (${notes.join('; ')})`,
    table: row.draw
      ? null
      : ['z', [['ψ(z)', Array.from(surrogates.sample(row.name, TABLE_POINTS, { forward }))]]],
  };
}

/** The plot of an element-wise transform: what it passes down against the incoming gradient g. */
function mapPlot(row, surrogates, tensorPkg) {
  const f = surrogates.ruleFormula(row.name);
  const rng = new tensorPkg.Rng(SAMPLE_SEED);
  const out = GRID.map((g) =>
    f(0, g, row.draw === 'normal' ? rng.normal() : row.draw === 'uniform' ? rng.uniform() : 0),
  );
  const series = [
    {
      label: `${row.name}(g)${row.draw ? ` (one draw, seed ${SAMPLE_SEED})` : ''}`,
      values: out,
      style: row.draw ? 'dots' : 'solid',
    },
    { label: 'g, passed unchanged by tied backprop of a linear unit', values: GRID, style: 'dashed' },
  ];
  return {
    svg: linePlot({
      xs: GRID,
      series,
      xLabel: 'incoming gradient g',
      yLabel: 'gradient passed down',
      title: `${row.name}: output against g`,
    }),
    thumb: thumbnail({ xs: GRID, values: out, title: `${row.name}(g)` }),
    caption: `the gradient passed down for g ∈ [−3, 3] (${defaults(row.params)})`,
    table: row.draw ? null : ['g', [[`${row.name}(g)`, TABLE_POINTS.map((g) => f(0, g))]]],
  };
}

/** The plot of a reduction transform: an example gradient vector before and after the rule. */
function reductionPlot(row, surrogates, tensorPkg) {
  const { tensor, zeros, Rng, tidy } = tensorPkg;
  const after = tidy(() =>
    Array.from(
      surrogates
        .applyRule(surrogates.rule(row.name), {
          grad: tensor(EXAMPLE_GRADIENT),
          z: zeros([EXAMPLE_GRADIENT.length]),
          forward: undefined,
          rng: new Rng(SAMPLE_SEED),
          context: 'gen-reference',
        })
        .dataSync(),
    ),
  );
  const norm = Math.hypot(...EXAMPLE_GRADIENT);
  const mean = EXAMPLE_GRADIENT.reduce((a, b) => a + b, 0) / EXAMPLE_GRADIENT.length;
  const series = [
    { label: `${row.name}(g), passed down`, values: after },
    { label: 'g, the incoming gradient', values: EXAMPLE_GRADIENT },
  ];
  return {
    svg: barPlot({
      series,
      xLabel: 'element k of g',
      yLabel: 'gradient',
      title: `${row.name} on an example gradient`,
    }),
    thumb: thumbnail({ values: after, bars: true, title: `${row.name} on an example gradient` }),
    caption: `an example gradient g of 8 elements (‖g‖₂ = ${fmt(norm)}, mean ${fmt(mean)}) and what ${row.name} passes down (${defaults(row.params)})`,
    table: null,
  };
}

/** The plot, thumbnail, caption and value table of one rule, or null for a rule without a formula. */
function rulePlot(row, surrogates, tensorPkg) {
  if (row.family === 'user') return null;
  if (row.family !== 'transform') return factorPlot(row, surrogates);
  return row.expression === null
    ? reductionPlot(row, surrogates, tensorPkg)
    : mapPlot(row, surrogates, tensorPkg);
}

/** The Markdown of one rule: heading, doc, formula, parameters, plot and values. */
function ruleSection(row, plot) {
  const lines = [`### ${row.name}`, '', ...aliasLine(row.aliases)];
  if (row.doc) lines.push(row.doc, '');
  if (row.latex) lines.push(...math([row.latex]));
  if (row.expression !== null) {
    lines.push(`Kernel expression: ${code(row.expression)}`, '');
  } else if (row.family === 'transform') {
    lines.push('Implemented with tensor ops: it needs a reduction over the whole gradient tensor.', '');
  }
  if (row.draw === 'uniform') lines.push('Draws u ~ U[0,1) per element, fresh at every backward call.', '');
  if (row.draw === 'normal') lines.push('Draws n ~ N(0,1) per element, fresh at every backward call.', '');
  lines.push(...paramTable(row.params), '');
  if (row.family !== 'user') lines.push('```ts', usageLine(row.name, row.params), '```', '');
  if (plot === null) return lines;
  lines.push(...figure(plot.svg, plot.caption));
  if (plot.table) lines.push(...valueTable(plot.table[0], plot.table[1]), '');
  return lines;
}

function rulesPage(surrogates, tensorPkg) {
  const rows = surrogates.describeRules();
  const plots = new Map(rows.map((row) => [row.name, rulePlot(row, surrogates, tensorPkg)]));
  const families = Object.keys(FAMILY_TITLES).filter((f) => rows.some((r) => r.family === f));
  const lines = [
    '---',
    'outline: [2, 3]',
    '---',
    '',
    '<!-- Generated by docs/scripts/gen-reference.mjs from @fbt/surrogates: do not edit. -->',
    '',
    '# Backward rules',
    '',
    'Every backward rule of `@fbt/surrogates`, generated from the formula table (`describeRules()`) at',
    'build time. A factor rule passes down g·ψ(z) where backprop would pass g·φ′(z); a transform maps g',
    'itself. Each formula’s LaTeX source is one click away; the kernel expression is the exact `mapExpr`',
    'string every backend compiles (`dphi` stands for φ′(z), `u` and `n` for the per-element draws). The',
    'curves are computed with `sample(rule, zs)` and `activationFormulas(name)`: each rule is drawn',
    'against the derivative it replaces, the zero derivative of the Heaviside step (or of sign) unless it',
    'reads φ′ itself. See [Activations and rules](../guide/activations-and-rules) for how to use them.',
    '',
    '| rule | ψ | family | parameters |',
    '| --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| [\`${r.name}\`](#${r.name.toLowerCase()}) | ${plots.get(r.name)?.thumb ?? '–'} | ${r.family} | ${
          r.params.map((p) => `\`${p.name}=${p.default}\``).join(' ') || '–'
        } |`,
    ),
    '',
  ];
  for (const family of families) {
    lines.push(`## ${FAMILY_TITLES[family]}`, '', FAMILY_INTROS[family], '');
    for (const row of rows.filter((r) => r.family === family))
      lines.push(...ruleSection(row, plots.get(row.name)));
  }
  return lines;
}

function activationSection(row, surrogates) {
  const { value, derivative } = surrogates.activationFormulas(row.name);
  const series = [
    { label: 'φ(z)', values: GRID.map(value), style: 'solid' },
    { label: 'φ′(z), the factor of tied backprop', values: GRID.map(derivative), style: 'dashed' },
  ];
  return [
    `### ${row.name}`,
    '',
    ...aliasLine(row.aliases),
    ...(row.doc ? [row.doc, ''] : []),
    ...math([`\\varphi(z) = ${row.latex}`, `\\varphi'(z) = ${row.derivativeLatex}`]),
    `Kernel expressions: φ ${code(row.expr)}, φ′ ${code(row.derivative)}`,
    '',
    ...paramTable(row.params),
    '',
    ...figure(
      linePlot({
        xs: GRID,
        series,
        xLabel: 'pre-activation z',
        yLabel: 'value',
        title: `${row.name}: φ(z) and φ′(z)`,
      }),
      `φ and φ′ for z ∈ [−3, 3] (${defaults(row.params)})`,
    ),
    ...valueTable('z', [
      ['φ(z)', TABLE_POINTS.map(value)],
      ['φ′(z)', TABLE_POINTS.map(derivative)],
    ]),
    '',
  ];
}

function activationsPage(surrogates) {
  const rows = surrogates.describeActivations();
  const thumb = (name) => {
    const { value } = surrogates.activationFormulas(name);
    return thumbnail({ xs: GRID, values: GRID.map(value), title: `${name}: φ(z)` });
  };
  return [
    '---',
    'outline: [2, 3]',
    '---',
    '',
    '<!-- Generated by docs/scripts/gen-reference.mjs from @fbt/surrogates: do not edit. -->',
    '',
    '# Forward activations',
    '',
    'Every forward activation φ of `@fbt/surrogates`, generated from the formula table',
    '(`describeActivations()`) at build time. φ′ is the exact derivative that the `tied` rule (ordinary',
    'backprop) multiplies the gradient by; at a kink it takes the one-sided value PyTorch uses. The curves',
    'and values are computed with `activationFormulas(name)`, which compiles the same expressions the',
    'kernels run. Pair any of them with any [backward rule](./rules).',
    '',
    '| activation | φ | parameters |',
    '| --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| [\`${r.name}\`](#${r.name.toLowerCase()}) | ${thumb(r.name)} | ${
          r.params.map((p) => `\`${p.name}=${p.default}\``).join(' ') || '–'
        } |`,
    ),
    '',
    '## Activations',
    '',
    ...rows.flatMap((row) => activationSection(row, surrogates)),
  ];
}

/**
 * The home page's figure: one Heaviside forward, several backward rules. Tied backprop multiplies
 * the gradient by H′(z) = 0; each rule replaces that zero by a factor that lets the gradient through.
 */
function homeFigure(surrogates) {
  const { value, derivative } = surrogates.activationFormulas('heaviside');
  const rows = new Map(surrogates.describeRules().map((row) => [row.name, row]));
  const rule = (name) => ({
    label: `ψ = ${name} (${defaults(rows.get(name).params)})`,
    values: Array.from(surrogates.sample(name, GRID)),
    style: 'solid',
  });
  const series = [
    rule(HOME_RULES[0]),
    { label: 'ψ = tied: H′(z) = 0, nothing passes', values: GRID.map(derivative), style: 'dashed' },
    { label: 'φ = H(z), the Heaviside step', values: GRID.map(value), style: 'dotted' },
    ...HOME_RULES.slice(1).map(rule),
  ];
  return figure(
    linePlot({
      xs: GRID,
      series,
      xLabel: 'pre-activation z',
      yLabel: 'factor on g',
      title: 'One Heaviside forward, several backward rules',
    }),
    'One forward, several backwards: the factor each rule multiplies the incoming gradient g by, for a Heaviside unit. Computed from the formula table, like every plot of the <a href="/reference/rules">rule reference</a>.',
  );
}

/** Wraps a page body so that Vue never interpolates `{{` in LaTeX. */
function page(lines) {
  const text = lines.join('\n');
  const end = text.indexOf('\n# ');
  return `${text.slice(0, end)}\n\n::: v-pre\n${text.slice(end + 1)}\n:::\n`;
}

const surrogates = await loadBuilt('@fbt/surrogates');
const tensorPkg = await loadBuilt('@fbt/tensor');
await mkdir(referenceDir, { recursive: true });
await writeFile(join(referenceDir, 'rules.md'), page(rulesPage(surrogates, tensorPkg)));
await writeFile(join(referenceDir, 'activations.md'), page(activationsPage(surrogates)));
await mkdir(generatedDir, { recursive: true });
await writeFile(join(generatedDir, 'home-figure.md'), homeFigure(surrogates).join('\n'));
stdout.write(
  'gen-reference: wrote reference/rules.md, reference/activations.md and _generated/home-figure.md\n',
);
