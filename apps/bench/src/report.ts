import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { formatColumns } from './text-table';
import type { Timing } from './timing';
import type { Workload } from './workloads';

/** One contender's result on one workload. */
export interface Cell extends Timing {
  /** Billions of floating-point operations per second at the median time. */
  readonly gflops: number;
  /** Baseline median time divided by this one (how many times faster than the baseline). */
  readonly speedup: number;
  /** Largest difference from the baseline's outputs, relative to their largest magnitude. */
  readonly maxRelError: number;
}

/** The reference GEMM timed on one column in the same rounds as a row's workload. */
export interface GemmReference extends Timing {
  /** Its GFLOP/s at the median time. */
  readonly gflops: number;
}

/** One row of the report: a workload and the result of every contender that supports it. */
export interface Row {
  readonly workload: Workload;
  readonly cells: Readonly<Record<string, Cell>>;
  /**
   * Per `fbt-wasm*` column, the machine-limit GEMM (`GEMM_WORKLOAD`) timed in the same interleaved
   * rounds as this workload (absent on that GEMM's own row), so that the row's share of the GEMM
   * compares two timings of the same slices of a shared machine's time.
   */
  readonly gemm?: Readonly<Record<string, GemmReference>>;
}

/**
 * Formats the rows as a plain-text table: per contender, the median wall time, GFLOP/s at that
 * time, the speed-up over the baseline, and the median CPU time (a check on a busy machine).
 */
export function formatTable(rows: readonly Row[], contenders: readonly string[], baseline: string): string {
  const header = [
    'workload',
    'MFLOP',
    ...contenders.flatMap((c) => [`${c} ms`, `${c} GFLOP/s`, `${c} x${baseline}`, `${c} cpu ms`]),
  ];
  const lines = rows.map((row) => [
    row.workload.label,
    (row.workload.flops / 1e6).toFixed(1),
    ...contenders.flatMap((c) => {
      const cell = row.cells[c];
      return cell === undefined
        ? ['-', '-', '-', '-']
        : [
            cell.medianMs.toFixed(2),
            cell.gflops.toFixed(2),
            Number.isFinite(cell.speedup) ? `${cell.speedup.toFixed(2)}x` : '-',
            cell.cpuMedianMs.toFixed(2),
          ];
    }),
  ]);
  return formatColumns(header, lines);
}

/**
 * Writes the rows and the machine description as JSON to `path` (directories are created), with
 * `extra` top-level fields (such as the peer ratios).
 */
export function writeJson(
  path: string,
  rows: readonly Row[],
  baseline: string,
  extra: Readonly<Record<string, unknown>> = {},
): void {
  const report = {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    baseline,
    workloads: rows.map(({ workload, cells, gemm }) => ({
      id: workload.id,
      label: workload.label,
      flops: workload.flops,
      ...(workload.twin === undefined ? {} : { twin: workload.twin }),
      results: cells,
      ...(gemm === undefined ? {} : { gemmReference: gemm }),
    })),
    ...extra,
  };
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
}
