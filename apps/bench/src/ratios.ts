import type { Row } from './report';

/**
 * How many times faster one contender is than another on one workload (`versus` median / `contender`
 * median): above 1 the contender is faster, below 1 it is slower.
 */
export interface SpeedRatio {
  readonly workload: string;
  readonly contender: string;
  readonly versus: string;
  readonly ratio: number;
}

/** The ratio of every contender in `contenders` to every one in `versus`, per workload where both ran. */
export function speedRatios(
  rows: readonly Row[],
  contenders: readonly string[],
  versus: readonly string[],
): SpeedRatio[] {
  return rows.flatMap((row) =>
    contenders
      .filter((contender) => row.cells[contender] !== undefined)
      .flatMap((contender) =>
        versus
          .filter((other) => other !== contender && row.cells[other] !== undefined)
          .map((other) => ({
            workload: row.workload.id,
            contender,
            versus: other,
            ratio: row.cells[other]!.medianMs / row.cells[contender]!.medianMs,
          })),
      ),
  );
}

/** A table with one line per workload and one `contender vs other` column per pair (how many times faster). */
export function formatRatios(ratios: readonly SpeedRatio[]): string {
  const columns = [...new Set(ratios.map((r) => `${r.contender} vs ${r.versus}`))];
  const workloads = [...new Set(ratios.map((r) => r.workload))];
  const header = ['workload', ...columns];
  const lines = workloads.map((w) => [
    w,
    ...columns.map((col) => {
      const r = ratios.find((x) => x.workload === w && `${x.contender} vs ${x.versus}` === col);
      return r === undefined ? '-' : `${r.ratio.toFixed(r.ratio < 0.1 ? 3 : 2)}x`;
    }),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const format = (cols: readonly string[]): string =>
    cols.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [format(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(format)].join('\n');
}
