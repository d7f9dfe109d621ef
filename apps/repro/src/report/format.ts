/** A fraction as a percentage with two decimals (`97.12`), or `–` when not a number. */
export function percent(x: number): string {
  return Number.isFinite(x) ? (100 * x).toFixed(2) : '–';
}

/** `mean ± std` of fractions as percentages. */
export function percentPm(m: number, s: number): string {
  return Number.isFinite(m) ? `${percent(m)} ± ${percent(s)}` : '–';
}

/** `mean ± std` with a fixed number of decimals. */
export function fixedPm(m: number, s: number, digits: number): string {
  return Number.isFinite(m) ? `${m.toFixed(digits)} ± ${s.toFixed(digits)}` : '–';
}

/** A number with fixed decimals for CSV, or empty when not a number. */
export function csvNumber(x: number, digits: number): string {
  return Number.isFinite(x) ? x.toFixed(digits) : '';
}

/** Escapes a CSV field (quotes it when it holds a comma, quote or newline). */
export function csvField(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A Markdown table from a header row and body rows (pipes in cells escaped). */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
