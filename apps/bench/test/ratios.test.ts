import { describe, expect, it } from 'vitest';
import { twinRatios } from '../src/ratios';
import type { Cell, Row } from '../src/report';
import type { Workload } from '../src/workloads';

/** A cell with the given median and fastest run. */
function cell(medianMs: number, minMs: number): Cell {
  return { medianMs, minMs, cpuMedianMs: medianMs, samples: 5, gflops: 1, speedup: 1, maxRelError: 0 };
}

function row(id: string, cells: Record<string, Cell>, twin?: string): Row {
  const workload = {
    id,
    label: id,
    flops: 1,
    ...(twin === undefined ? {} : { twin }),
  } as unknown as Workload;
  return { workload, cells };
}

describe('twinRatios', () => {
  const rows = [
    row('matmul-8x8x8', { 'fbt-cpu': cell(10, 8), 'fbt-wasm ×1': cell(4, 3), naive: cell(50, 40) }),
    row('binary-gemm-8x8x8', { 'fbt-cpu': cell(2, 1), 'fbt-wasm ×1': cell(0.5, 0.25) }, 'matmul-8x8x8'),
    row('binary-orphan', { 'fbt-cpu': cell(1, 1) }, 'missing-twin'),
  ];

  it('divides the float twin time by the binary time, per column that ran both (median or fastest run)', () => {
    expect(twinRatios(rows)).toEqual([
      { workload: 'binary-gemm-8x8x8', contender: 'fbt-cpu', versus: 'fbt-cpu on matmul-8x8x8', ratio: 5 },
      {
        workload: 'binary-gemm-8x8x8',
        contender: 'fbt-wasm ×1',
        versus: 'fbt-wasm ×1 on matmul-8x8x8',
        ratio: 8,
      },
    ]);
    expect(twinRatios(rows, 'minMs').map((r) => r.ratio)).toEqual([8, 12]);
  });
});
