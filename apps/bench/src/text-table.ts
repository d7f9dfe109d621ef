/**
 * A plain-text table: the header, a rule of dashes, then the lines; the first column is padded on
 * the right, the others on the left (numbers), each as wide as its widest cell.
 */
export function formatColumns(header: readonly string[], lines: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const format = (cols: readonly string[]): string =>
    cols.map((col, i) => (i === 0 ? col.padEnd(widths[i]!) : col.padStart(widths[i]!))).join('  ');
  return [format(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(format)].join('\n');
}
