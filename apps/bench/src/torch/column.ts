import { relativeError } from '../outputs';
import type { SpeedRatio } from '../ratios';
import type { Cell, Row } from '../report';
import { formatColumns } from '../text-table';
import type { TorchResponse, TorchResult } from './protocol';

/** The report's column name for PyTorch. */
export const TORCH_COLUMN = 'pytorch';

/**
 * The rows with a `pytorch` cell added where the response has the workload: its timing, GFLOP/s,
 * speed-up over `baseline` and the difference of its first run's outputs from the workload's
 * `references` (the outputs the other columns are checked against).
 */
export function withTorchColumn(
  rows: readonly Row[],
  references: ReadonlyMap<string, readonly Float32Array[]>,
  response: TorchResponse,
  baseline: string,
): Row[] {
  return rows.map((row) => {
    const result = response.results.find((r) => r.id === row.workload.id);
    if (result === undefined) return row;
    const { medianMs, minMs, cpuMedianMs, samples, outputs } = result;
    const cell: Cell = {
      medianMs,
      minMs,
      cpuMedianMs,
      samples,
      gflops: row.workload.flops / medianMs / 1e6,
      speedup: (row.cells[baseline]?.medianMs ?? NaN) / medianMs,
      maxRelError: relativeError(outputs, references.get(row.workload.id) ?? []),
    };
    return { ...row, cells: { ...row.cells, [TORCH_COLUMN]: cell } };
  });
}

/**
 * Warnings about PyTorch's training steps: a last loss that is not finite or above the first
 * (every step trains on the same batch, so the loss should fall).
 */
export function torchLossWarnings(response: TorchResponse): string[] {
  return response.results.flatMap(({ id, lastLoss, steps, outputs }) => {
    if (lastLoss === undefined) return [];
    const first = outputs[0]![0]!;
    return Number.isFinite(lastLoss) && lastLoss <= first
      ? []
      : [`warning: pytorch's loss on ${id} went from ${first} to ${lastLoss} in ${steps} steps`];
  });
}

function threadsCell(result: TorchResult | undefined): string {
  if (result === undefined) return '-';
  const tried = Object.entries(result.medianMsByThreads).map(([t, ms]) => `${t}: ${ms.toFixed(2)}`);
  return `${result.threads} (${tried.join(', ')} ms)`;
}

/**
 * The `fbt ÷ PyTorch` table: per workload, the fastest fbt wasm column, its median, PyTorch's
 * median, which thread count won (with the median at each), and how many times faster fbt is
 * (PyTorch median / fbt median; below 1 PyTorch is faster).
 */
export function formatTorchRatios(
  ratios: readonly SpeedRatio[],
  rows: readonly Row[],
  response: TorchResponse,
): string {
  const header = ['workload', 'fastest fbt', 'fbt ms', 'pytorch ms', 'torch threads', 'fbt ÷ pytorch'];
  const lines = ratios.map((r) => {
    const cells = rows.find((row) => row.workload.id === r.workload)!.cells;
    return [
      r.workload,
      r.contender,
      cells[r.contender]!.medianMs.toFixed(2),
      cells[r.versus]!.medianMs.toFixed(2),
      threadsCell(response.results.find((result) => result.id === r.workload)),
      `${r.ratio.toFixed(2)}x`,
    ];
  });
  return formatColumns(header, lines);
}

/** The JSON report's `pytorch` field: versions, per workload the winning thread count and losses, and the ratios. */
export function torchSummary(
  response: TorchResponse,
  ratios: readonly SpeedRatio[],
): Record<string, unknown> {
  return {
    torch: response.torch,
    python: response.python,
    workloads: response.results.map(({ id, threads, medianMsByThreads, lastLoss, steps }) => ({
      id,
      threads,
      medianMsByThreads,
      ...(lastLoss === undefined ? {} : { lastLoss, steps }),
    })),
    fbtRatios: ratios,
  };
}
