import type { Row } from './report';
import { formatColumns } from './text-table';

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

/**
 * Per workload, the ratio of the fastest of `contenders` to `versus` (how many times faster the
 * best of them is), for the workloads where `versus` and at least one of them ran.
 */
export function bestRatios(
  rows: readonly Row[],
  contenders: readonly string[],
  versus: string,
): SpeedRatio[] {
  const ratios = speedRatios(rows, contenders, [versus]);
  return rows.flatMap((row) => {
    const mine = ratios.filter((r) => r.workload === row.workload.id);
    return mine.length === 0 ? [] : [mine.reduce((best, r) => (r.ratio > best.ratio ? r : best))];
  });
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
  return formatColumns(header, lines);
}

/**
 * Float ÷ binary: for every workload with a `twin` (its float version, same shapes) and every
 * contender that ran both, how many times faster the binary workload is (twin time / its time, by
 * the median, or by the fastest run with `stat` `minMs`). `versus` names the twin's cell;
 * `workload` is the binary workload's id.
 */
export function twinRatios(rows: readonly Row[], stat: 'medianMs' | 'minMs' = 'medianMs'): SpeedRatio[] {
  return rows.flatMap((row) => {
    const twin = rows.find((r) => r.workload.id === row.workload.twin);
    if (twin === undefined) return [];
    return Object.entries(row.cells)
      .filter(([name]) => twin.cells[name] !== undefined)
      .map(([name, cell]) => ({
        workload: row.workload.id,
        contender: name,
        versus: `${name} on ${twin.workload.id}`,
        ratio: twin.cells[name]![stat] / cell[stat],
      }));
  });
}
