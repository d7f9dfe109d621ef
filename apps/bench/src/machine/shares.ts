import type { Row } from '../report';
import { formatColumns } from '../text-table';
import type { PeakKind, PeakResult } from './peak';
import type { ProcessScaling } from './processes';

/** The workload whose GFLOP/s the convolutions and training steps are compared with. */
export const GEMM_WORKLOAD = 'matmul-128x784x256';

/** The machine's limits measured in this run. */
export interface MachineLimit {
  /**
   * The peaks of each wasm module measured (`wasm` first): register-only float multiply-adds, and
   * the binary GEMM's micro-tile on L1-resident panels.
   */
  readonly peaks: readonly PeakResult[];
  /** The same float GEMM alone and in N processes at once. */
  readonly processes: ProcessScaling;
  /** The same binary GEMM alone and in N processes at once: the limit of the `binary-` workloads. */
  readonly binaryProcesses: ProcessScaling;
}

/** `a` and `b` of one peak, each rate the higher of the two (the scaling recomputed from them). */
function bestPeak(a: PeakResult, b: PeakResult): PeakResult {
  const perThreadGflops = Math.max(a.perThreadGflops, b.perThreadGflops);
  const aggregateGflops = Math.max(a.aggregateGflops, b.aggregateGflops);
  return { ...a, perThreadGflops, aggregateGflops, scaling: aggregateGflops / perThreadGflops };
}

/** `a` and `b` of one process scaling, each rate the higher of the two. */
function bestProcesses(a: ProcessScaling, b: ProcessScaling): ProcessScaling {
  const aloneGflops = Math.max(a.aloneGflops, b.aloneGflops);
  const aggregateGflops = Math.max(a.aggregateGflops, b.aggregateGflops);
  return { ...a, aloneGflops, aggregateGflops, scaling: aggregateGflops / aloneGflops };
}

/**
 * Two measurements of the machine limit (before and after the workloads) combined: every rate the
 * higher of the two, every scaling recomputed from those rates. A limit is what the machine can do,
 * and on a shared machine a slow spell of seconds can fall on one measurement (one such spell read
 * a float GEMM alone at 18.7 GFLOP/s against 26.8–32.0 in the other runs, and its scaling at ×2.38).
 */
export function bestLimit(a: MachineLimit, b: MachineLimit): MachineLimit {
  return {
    peaks: a.peaks.map((p, i) => bestPeak(p, b.peaks[i]!)),
    processes: bestProcesses(a.processes, b.processes),
    binaryProcesses: bestProcesses(a.binaryProcesses, b.binaryProcesses),
  };
}

/** Which limits a workload is measured against: the binary ones for `binary-` ids, else the float ones. */
function limitKind(workload: string): PeakKind {
  return workload.startsWith('binary-') ? 'binary' : 'float';
}

/** The aggregate scaling a workload's thread speed-up is compared with (the float or binary GEMM's). */
function scalingFor(workload: string, limit: MachineLimit): number {
  return (limitKind(workload) === 'binary' ? limit.binaryProcesses : limit.processes).scaling;
}

/** One wasm column on one workload, as shares of the machine limit and of the same run's GEMM. */
export interface Share {
  readonly workload: string;
  readonly column: string;
  readonly threads: number;
  /** GFLOP/s ÷ (threads × the per-thread peak of the column's module; the binary peak for `binary-` ids). */
  readonly ofPeak: number;
  /**
   * GFLOP/s ÷ the GEMM workload's GFLOP/s in the same column: the GEMM timed in the same rounds
   * (the row's `gemm` reference) where there is one, else the GEMM's own row (absent for that row).
   */
  readonly ofGemm?: number;
  /** ×N median ÷ ×1 median: the column's thread speed-up (×N columns only). */
  readonly speedup?: number;
  /** speedup ÷ the machine's aggregate scaling (the float or binary GEMM in N processes). */
  readonly ofScaling?: number;
  /**
   * ×1 fastest run ÷ ×N fastest run: the speed-up where neither column was held up by the machine
   * (a preempted pool thread stalls every kernel of an N-thread run until it runs again).
   */
  readonly fastestSpeedup?: number;
}

/** The thread count of a column named `fbt-<backend> ×<threads>`. */
function threadsOf(column: string): number {
  return Number(/×(\d+)$/.exec(column)?.[1] ?? 1);
}

/**
 * The module's peak of `kind` for a column: `fbt-wasm-simd …` ran the plain SIMD module, `fbt-wasm …`
 * the best one.
 */
function peakOf(column: string, peaks: readonly PeakResult[], kind: PeakKind): PeakResult | undefined {
  const backend = /^fbt-(\S+)/.exec(column)?.[1];
  return peaks.find((p) => p.backend === backend && p.kind === kind);
}

/** Every wasm column's shares on every workload (`columns`: the fbt-wasm* column names, ×1 before ×N). */
export function machineShares(
  rows: readonly Row[],
  columns: readonly string[],
  limit: MachineLimit,
): Share[] {
  const gemm = rows.find((row) => row.workload.id === GEMM_WORKLOAD);
  return rows.flatMap((row) =>
    columns.flatMap((column): Share[] => {
      const cell = row.cells[column];
      const peak = peakOf(column, limit.peaks, limitKind(row.workload.id));
      if (cell === undefined || peak === undefined) return [];
      const threads = threadsOf(column);
      const gemmCell = row.gemm?.[column] ?? gemm?.cells[column];
      const single = row.cells[column.replace(/×\d+$/, '×1')];
      const scaled = threads > 1 && single !== undefined;
      const speedup = scaled ? single.medianMs / cell.medianMs : undefined;
      return [
        {
          workload: row.workload.id,
          column,
          threads,
          ofPeak: cell.gflops / (threads * peak.perThreadGflops),
          ...(row !== gemm && gemmCell !== undefined ? { ofGemm: cell.gflops / gemmCell.gflops } : {}),
          ...(speedup === undefined
            ? {}
            : {
                speedup,
                ofScaling: speedup / scalingFor(row.workload.id, limit),
                fastestSpeedup: single!.minMs / cell.minMs,
              }),
        },
      ];
    }),
  );
}

/** Each module's binary peak ÷ its float peak, per thread: float ÷ binary where both run at the same share of their peak. */
export function peakRatios(peaks: readonly PeakResult[]): { backend: string; ratio: number }[] {
  return peaks.flatMap((binary) => {
    const float = peaks.find((p) => p.kind === 'float' && p.backend === binary.backend);
    return binary.kind === 'binary' && float !== undefined
      ? [{ backend: binary.backend, ratio: binary.perThreadGflops / float.perThreadGflops }]
      : [];
  });
}

/** What a peak of each kind measures, for the report. */
const PEAK_WHAT: Readonly<Record<PeakKind, string>> = {
  float: 'register-only f32x4 multiply-adds',
  binary: "the binary GEMM's XNOR-popcount micro-tile on L1-resident panels, K = 1024",
};

const moduleName = (backend: string): string =>
  backend === 'wasm' ? 'the fbt-wasm module' : `fbt-${backend}`;

/** The machine-limit lines of the report. */
export function formatMachineLimit(limit: MachineLimit): string {
  const peaks = limit.peaks.map(
    (p) =>
      `peak (${PEAK_WHAT[p.kind]}, ${moduleName(p.backend)}): ` +
      `${p.perThreadGflops.toFixed(1)} ${p.kind === 'binary' ? 'G binary-ops/s' : 'GFLOP/s'} on 1 thread, ` +
      `${p.aggregateGflops.toFixed(1)} on ${p.threads} (×${p.scaling.toFixed(2)})`,
  );
  const ratios = peakRatios(limit.peaks);
  if (ratios.length > 0) {
    peaks.push(
      `binary peak ÷ float peak, per thread (float ÷ binary where both kernels run at the same share of their peak): ` +
        ratios.map((r) => `${r.ratio.toFixed(2)}× (${moduleName(r.backend)})`).join(', '),
    );
  }
  const scaling = (q: ProcessScaling): string =>
    `aggregate scaling (${q.kind} GEMM ${q.shape} on 1 kernel thread, alone and in ${q.processes} processes at once): ` +
    `${q.aloneGflops.toFixed(1)} → ${q.aggregateGflops.toFixed(1)} ${q.kind === 'binary' ? 'G binary-ops/s' : 'GFLOP/s'} (×${q.scaling.toFixed(2)})`;
  return [...peaks, scaling(limit.processes), scaling(limit.binaryProcesses)].join('\n');
}

const percent = (x: number | undefined): string => (x === undefined ? '-' : `${(100 * x).toFixed(0)}%`);

/**
 * A table: per workload and wasm column, % of peak, % of the GEMM, ×N÷×1 and its % of the aggregate
 * scaling (by the medians), and ×N÷×1 by the fastest runs.
 */
export function formatShares(shares: readonly Share[]): string {
  const header = [
    'workload',
    'column',
    '% of peak',
    `% of ${GEMM_WORKLOAD}`,
    '×N÷×1',
    '% of aggregate scaling',
    '×N÷×1, fastest runs',
  ];
  const lines = shares.map((s) => [
    s.workload,
    s.column,
    percent(s.ofPeak),
    percent(s.ofGemm),
    s.speedup === undefined ? '-' : `${s.speedup.toFixed(2)}x`,
    percent(s.ofScaling),
    s.fastestSpeedup === undefined ? '-' : `${s.fastestSpeedup.toFixed(2)}x`,
  ]);
  return formatColumns(header, lines);
}
