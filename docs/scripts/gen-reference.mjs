#!/usr/bin/env node
/**
 * Writes the generated reference pages of the docs site from @fbt/surrogates' formula table:
 * `reference/rules.md` (every backward rule) and `reference/activations.md` (every forward
 * activation), each entry with its parameters, its LaTeX formula, the expression the kernels
 * compile, and an inline SVG sparkline over z ∈ [-3, 3] computed with the package itself.
 *
 * It imports the BUILT package (its `dist`), so run it after `@fbt/surrogates` is built; the
 * docs' `build` and `dev` scripts run it before VitePress. The pages are git-ignored: they are
 * always regenerated, never edited by hand.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { stdout } from 'node:process';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const referenceDir = join(here, '..', 'reference');

/** The grid every sparkline is computed on: z ∈ [-3, 3] in steps of 0.05. */
const Z_MIN = -3;
const Z_MAX = 3;
const GRID = Array.from({ length: 121 }, (_, i) => Z_MIN + i * 0.05);
/** The points of the small value tables (hand-checkable). */
const TABLE_POINTS = [-2, -1, -0.5, 0, 0.5, 1, 2];
/** Rules that read φ'(z) are drawn for an example forward activation. */
const EXAMPLE_FORWARD = { tied: 'logistic', support: 'relu' };
/** Seed of the draws shown for stochastic rules. */
const SAMPLE_SEED = 0;

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

async function loadSurrogates() {
  try {
    return await import('@fbt/surrogates');
  } catch (error) {
    throw new Error(
      'gen-reference: cannot import the built @fbt/surrogates. Build it (and @fbt/tensor, @fbt/autograd) first, ' +
        'e.g. `pnpm turbo run build --filter=@fbt/docs^...` at the repository root. Cause: ' +
        String(error && error.message ? error.message : error),
    );
  }
}

/** Formats a number for the value tables: up to four decimals, no trailing zeros. */
function fmt(value) {
  if (Number.isNaN(value)) return 'NaN';
  const rounded = Math.round(value * 1e4) / 1e4;
  return Object.is(rounded, -0) ? '0' : String(rounded);
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
 * An inline SVG sparkline of one or more series over GRID. The y range covers every series and 0;
 * the z = 0 and y = 0 axes are drawn faintly. Colours follow the text colour (light and dark mode).
 */
function sparkline(series, label) {
  const width = 240;
  const height = 72;
  const pad = 4;
  const finite = series.flatMap((s) => s.values.filter(Number.isFinite));
  let low = Math.min(0, ...finite);
  let high = Math.max(0, ...finite);
  if (high - low < 1e-9) {
    low -= 1;
    high += 1;
  }
  const x = (z) => pad + ((z - Z_MIN) / (Z_MAX - Z_MIN)) * (width - 2 * pad);
  const y = (v) => height - pad - ((v - low) / (high - low)) * (height - 2 * pad);
  const r = (v) => v.toFixed(1);
  const lines = series.map((s) => {
    const points = GRID.map((z, i) => [z, s.values[i]])
      .filter(([, v]) => Number.isFinite(v))
      .map(([z, v]) => `${r(x(z))},${r(y(v))}`)
      .join(' ');
    const dash = s.dashed ? ' stroke-dasharray="4 3"' : '';
    return `<polyline points="${points}" fill="none" stroke="currentColor" stroke-width="1.5"${dash} />`;
  });
  return [
    `<svg class="fbt-sparkline" role="img" aria-label="${label}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" xmlns="http://www.w3.org/2000/svg">`,
    `<line x1="${r(x(0))}" y1="${pad}" x2="${r(x(0))}" y2="${height - pad}" stroke="currentColor" stroke-opacity="0.25" />`,
    `<line x1="${pad}" y1="${r(y(0))}" x2="${width - pad}" y2="${r(y(0))}" stroke="currentColor" stroke-opacity="0.25" />`,
    ...lines,
    '</svg>',
  ].join('\n');
}

/** The value range a sparkline shows, for its caption. */
function range(seriesValues) {
  const finite = seriesValues.flat().filter(Number.isFinite);
  return `values from ${fmt(Math.min(...finite))} to ${fmt(Math.max(...finite))}`;
}

function paramTable(params) {
  if (params.length === 0) return ['No parameters.'];
  return [
    '| parameter | default | range | meaning |',
    '| --- | --- | --- | --- |',
    ...params.map((p) => `| \`${p.name}\` | ${p.default} | ${cell(p.range)} | ${cell(p.doc)} |`),
  ];
}

function valueTable(header, rows) {
  return [
    `| ${header} | ${TABLE_POINTS.map((z) => `z = ${z}`).join(' | ')} |`,
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

/** The Markdown of one rule: heading, doc, formula, parameters, sparkline and values. */
function ruleSection(row, surrogates) {
  const lines = [`### ${row.name}`, '', ...aliasLine(row.aliases)];
  if (row.doc) lines.push(row.doc, '');
  if (row.latex) lines.push(`Formula: ${code(row.latex)}`, '');
  if (row.expression !== null) {
    lines.push(`Kernel expression: ${code(row.expression)}`, '');
  } else if (row.family === 'transform') {
    lines.push('Implemented with tensor ops: it needs a reduction over the whole gradient tensor.', '');
  }
  if (row.draw === 'uniform') lines.push('Draws u ~ U[0,1) per element, fresh at every backward call.', '');
  if (row.draw === 'normal') lines.push('Draws n ~ N(0,1) per element, fresh at every backward call.', '');
  lines.push(...paramTable(row.params), '');
  if (row.family !== 'user') lines.push('```ts', usageLine(row.name, row.params), '```', '');
  if (row.expression === null) return lines;

  const forward = EXAMPLE_FORWARD[row.name];
  const options = { forward, seed: SAMPLE_SEED };
  const values = Array.from(surrogates.sample(row.name, GRID, options));
  const what = row.family === 'transform' ? 'the gradient passed down for g = 1' : 'ψ(z)';
  const notes = [
    forward ? `for φ = ${forward}` : '',
    row.draw ? `one draw with seed ${SAMPLE_SEED}` : '',
    'default parameters',
  ].filter(Boolean);
  lines.push(
    `<figure class="fbt-plot">`,
    sparkline([{ values }], `${row.name}: ${what} over z from -3 to 3`),
    `<figcaption>${what} for z ∈ [−3, 3] (${notes.join(', ')}; ${range([values])})</figcaption>`,
    `</figure>`,
    '',
  );
  if (!row.draw) {
    const atPoints = Array.from(surrogates.sample(row.name, TABLE_POINTS, options));
    lines.push(...valueTable('', [[row.family === 'transform' ? 'g ↦' : 'ψ', atPoints]]), '');
  }
  return lines;
}

function rulesPage(surrogates) {
  const rows = surrogates.describeRules();
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
    'itself. Formulas are given in LaTeX source; the kernel expression is the exact `mapExpr` string',
    'every backend compiles (`dphi` stands for φ′(z), `u` and `n` for the per-element draws). The curves',
    'are computed with `sample(rule, zs)`; see [Activations and rules](../guide/activations-and-rules) for',
    'how to use them.',
    '',
    '| rule | family | parameters |',
    '| --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| [\`${r.name}\`](#${r.name.toLowerCase()}) | ${r.family} | ${
          r.params.map((p) => `\`${p.name}=${p.default}\``).join(' ') || '–'
        } |`,
    ),
    '',
  ];
  for (const family of families) {
    lines.push(`## ${FAMILY_TITLES[family]}`, '', FAMILY_INTROS[family], '');
    for (const row of rows.filter((r) => r.family === family)) lines.push(...ruleSection(row, surrogates));
  }
  return lines;
}

function activationSection(row, surrogates) {
  const { value, derivative } = surrogates.activationFormulas(row.name);
  const phi = GRID.map(value);
  const dphi = GRID.map(derivative);
  return [
    `### ${row.name}`,
    '',
    ...aliasLine(row.aliases),
    ...(row.doc ? [row.doc, ''] : []),
    `φ(z): ${code(row.latex)}`,
    '',
    `φ′(z): ${code(row.derivativeLatex)}`,
    '',
    `Kernel expressions: φ ${code(row.expr)}, φ′ ${code(row.derivative)}`,
    '',
    ...paramTable(row.params),
    '',
    `<figure class="fbt-plot">`,
    sparkline(
      [{ values: phi }, { values: dphi, dashed: true }],
      `${row.name}: phi and its derivative over z from -3 to 3`,
    ),
    `<figcaption>φ (solid) and φ′ (dashed) for z ∈ [−3, 3] (default parameters; ${range([phi, dphi])})</figcaption>`,
    `</figure>`,
    '',
    ...valueTable('', [
      ['φ', TABLE_POINTS.map(value)],
      ['φ′', TABLE_POINTS.map(derivative)],
    ]),
    '',
  ];
}

function activationsPage(surrogates) {
  const rows = surrogates.describeActivations();
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
    '| activation | parameters |',
    '| --- | --- |',
    ...rows.map(
      (r) =>
        `| [\`${r.name}\`](#${r.name.toLowerCase()}) | ${
          r.params.map((p) => `\`${p.name}=${p.default}\``).join(' ') || '–'
        } |`,
    ),
    '',
    '## Activations',
    '',
    ...rows.flatMap((row) => activationSection(row, surrogates)),
  ];
}

/** Wraps a page body so that Vue never interpolates `{{` in LaTeX. */
function page(lines) {
  const text = lines.join('\n');
  const end = text.indexOf('\n# ');
  return `${text.slice(0, end)}\n\n::: v-pre\n${text.slice(end + 1)}\n:::\n`;
}

const surrogates = await loadSurrogates();
await mkdir(referenceDir, { recursive: true });
await writeFile(join(referenceDir, 'rules.md'), page(rulesPage(surrogates)));
await writeFile(join(referenceDir, 'activations.md'), page(activationsPage(surrogates)));
stdout.write('gen-reference: wrote reference/rules.md and reference/activations.md\n');
