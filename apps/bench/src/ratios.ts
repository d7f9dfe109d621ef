import type { Row } from './report';

/** How many times faster one fbt backend is than one peer on one workload (peer median / fbt median). */
export interface PeerRatio {
  readonly workload: string;
  readonly fbt: string;
  readonly peer: string;
  readonly ratio: number;
}

/** The ratio of every `fbt-*` contender to every peer, per workload where both ran. */
export function peerRatios(rows: readonly Row[], peers: readonly string[]): PeerRatio[] {
  return rows.flatMap((row) =>
    Object.keys(row.cells)
      .filter((name) => name.startsWith('fbt-'))
      .flatMap((fbt) =>
        peers
          .filter((peer) => row.cells[peer] !== undefined)
          .map((peer) => ({
            workload: row.workload.id,
            fbt,
            peer,
            ratio: row.cells[peer]!.medianMs / row.cells[fbt]!.medianMs,
          })),
      ),
  );
}

/** A table with one line per workload and one `fbt-x / peer` column per pair (how many times faster fbt is). */
export function formatRatios(ratios: readonly PeerRatio[]): string {
  const columns = [...new Set(ratios.map((r) => `${r.fbt} vs ${r.peer}`))];
  const workloads = [...new Set(ratios.map((r) => r.workload))];
  const header = ['workload', ...columns];
  const lines = workloads.map((w) => [
    w,
    ...columns.map((col) => {
      const r = ratios.find((x) => x.workload === w && `${x.fbt} vs ${x.peer}` === col);
      return r === undefined ? '-' : `${r.ratio.toFixed(2)}x`;
    }),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const format = (cols: readonly string[]): string =>
    cols.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [format(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(format)].join('\n');
}
