import { registerWasmBackend } from '@fbt/tensor';
import { describe, expect, it } from 'vitest';
import { measurePeak } from '../src/machine/peak';
import {
  bestLimit,
  formatMachineLimit,
  formatShares,
  GEMM_WORKLOAD,
  machineShares,
  peakRatios,
  type MachineLimit,
} from '../src/machine/shares';
import type { Cell, Row } from '../src/report';
import type { Workload } from '../src/workloads';

/** A cell whose median is `medianMs` and GFLOP/s `gflops` (the rest does not enter the shares). */
const cell = (medianMs: number, gflops: number, minMs = medianMs): Cell => ({
  medianMs,
  gflops,
  minMs,
  cpuMedianMs: medianMs,
  samples: 5,
  speedup: 1,
  maxRelError: 0,
});

const row = (id: string, cells: Record<string, Cell>): Row => ({ workload: { id } as Workload, cells });

const limit: MachineLimit = {
  peaks: [
    { kind: 'float', backend: 'wasm', perThreadGflops: 50, threads: 2, aggregateGflops: 90, scaling: 1.8 },
    {
      kind: 'binary',
      backend: 'wasm',
      perThreadGflops: 400,
      threads: 2,
      aggregateGflops: 500,
      scaling: 1.25,
    },
    { kind: 'float', backend: 'wasm-simd', perThreadGflops: 40, threads: 1, aggregateGflops: 40, scaling: 1 },
  ],
  processes: {
    shape: '256x256 · 256x256',
    kind: 'float',
    processes: 2,
    aloneGflops: 30,
    aggregateGflops: 48,
    scaling: 1.6,
  },
  binaryProcesses: {
    shape: '256x1024 · (1024x1024)ᵀ',
    kind: 'binary',
    processes: 2,
    aloneGflops: 300,
    aggregateGflops: 400,
    scaling: 1.25,
  },
};

describe('machineShares', () => {
  const rows = [
    row(GEMM_WORKLOAD, {
      'fbt-wasm ×1': cell(2, 40),
      'fbt-wasm ×2': cell(1.25, 64, 1),
      'fbt-wasm-simd ×1': cell(2.5, 32),
    }),
    row('conv', { 'fbt-wasm ×1': cell(4, 20), 'fbt-wasm ×2': cell(2.5, 32), 'tfjs-wasm': cell(1, 1) }),
    row('binary-gemm', { 'fbt-wasm ×1': cell(1, 250), 'fbt-wasm ×2': cell(0.8, 312.5) }),
  ];
  const shares = machineShares(rows, ['fbt-wasm ×1', 'fbt-wasm ×2', 'fbt-wasm-simd ×1'], limit);

  it("divides by threads x the column module's peak (binary for binary- ids), the same column's GEMM and the aggregate scaling; the speed-up also by the fastest runs", () => {
    expect(shares).toEqual([
      { workload: GEMM_WORKLOAD, column: 'fbt-wasm ×1', threads: 1, ofPeak: 0.8 },
      {
        workload: GEMM_WORKLOAD,
        column: 'fbt-wasm ×2',
        threads: 2,
        ofPeak: 0.64,
        speedup: 1.6,
        ofScaling: 1,
        fastestSpeedup: 2,
      },
      { workload: GEMM_WORKLOAD, column: 'fbt-wasm-simd ×1', threads: 1, ofPeak: 0.8 },
      { workload: 'conv', column: 'fbt-wasm ×1', threads: 1, ofPeak: 0.4, ofGemm: 0.5 },
      {
        workload: 'conv',
        column: 'fbt-wasm ×2',
        threads: 2,
        ofPeak: 0.32,
        ofGemm: 0.5,
        speedup: 1.6,
        ofScaling: 1,
        fastestSpeedup: 1.6,
      },
      { workload: 'binary-gemm', column: 'fbt-wasm ×1', threads: 1, ofPeak: 0.625, ofGemm: 6.25 },
      {
        workload: 'binary-gemm',
        column: 'fbt-wasm ×2',
        threads: 2,
        ofPeak: 312.5 / 800,
        ofGemm: 312.5 / 64,
        speedup: 1.25,
        ofScaling: 1,
        fastestSpeedup: 1.25,
      },
    ]);
  });

  it('prints each peak, the binary ÷ float peak ratio, and the float and binary aggregate scaling', () => {
    expect(formatMachineLimit(limit).split('\n')).toEqual([
      'peak (register-only f32x4 multiply-adds, the fbt-wasm module): 50.0 GFLOP/s on 1 thread, 90.0 on 2 (×1.80)',
      "peak (the binary GEMM's XNOR-popcount micro-tile on L1-resident panels, K = 1024, the fbt-wasm module): 400.0 G binary-ops/s on 1 thread, 500.0 on 2 (×1.25)",
      'peak (register-only f32x4 multiply-adds, fbt-wasm-simd): 40.0 GFLOP/s on 1 thread, 40.0 on 1 (×1.00)',
      'binary peak ÷ float peak, per thread (float ÷ binary where both kernels run at the same share of their peak): 8.00× (the fbt-wasm module)',
      'aggregate scaling (float GEMM 256x256 · 256x256 on 1 kernel thread, alone and in 2 processes at once): 30.0 → 48.0 GFLOP/s (×1.60)',
      'aggregate scaling (binary GEMM 256x1024 · (1024x1024)ᵀ on 1 kernel thread, alone and in 2 processes at once): 300.0 → 400.0 G binary-ops/s (×1.25)',
    ]);
  });

  it("takes a row's share of the GEMM from the GEMM timed in its own rounds where there is one", () => {
    const reference = { medianMs: 1, minMs: 1, cpuMedianMs: 1, samples: 5, gflops: 25 };
    const [share] = machineShares(
      [rows[0]!, { ...row('step', { 'fbt-wasm ×1': cell(4, 20) }), gemm: { 'fbt-wasm ×1': reference } }],
      ['fbt-wasm ×1'],
      limit,
    ).filter((s) => s.workload === 'step');
    expect(share!.ofGemm).toBe(0.8);
  });

  it('prints percentages and the speed-up, a dash where a share does not apply', () => {
    const lines = formatShares(shares).split('\n');
    expect(lines[0]).toMatch(
      /^workload\s+column\s+% of peak\s+% of matmul-128x784x256\s+×N÷×1\s+% of aggregate scaling\s+×N÷×1, fastest runs$/,
    );
    expect(lines[2]).toMatch(/^matmul-128x784x256\s+fbt-wasm ×1\s+80%\s+-\s+-\s+-\s+-$/);
    expect(lines[3]).toMatch(/^matmul-128x784x256\s+fbt-wasm ×2\s+64%\s+-\s+1\.60x\s+100%\s+2\.00x$/);
    expect(lines[6]).toMatch(/^conv\s+fbt-wasm ×2\s+32%\s+50%\s+1\.60x\s+100%\s+1\.60x$/);
  });
});

describe('bestLimit', () => {
  it('keeps the higher of each rate and recomputes the scalings from them', () => {
    const slow: MachineLimit = {
      peaks: limit.peaks.map((p) => ({ ...p, perThreadGflops: p.perThreadGflops / 2, scaling: 3.6 })),
      processes: { ...limit.processes, aloneGflops: 15, aggregateGflops: 60, scaling: 4 },
      binaryProcesses: { ...limit.binaryProcesses, aggregateGflops: 450, scaling: 1.5 },
    };
    const best = bestLimit(slow, limit);
    expect(best.peaks).toEqual(limit.peaks);
    expect(best.processes).toEqual({ ...limit.processes, aggregateGflops: 60, scaling: 2 });
    expect(best.binaryProcesses).toEqual({ ...limit.binaryProcesses, aggregateGflops: 450, scaling: 1.5 });
  });
});

describe('peakRatios', () => {
  it("divides each module's binary peak by its float peak, skipping modules without both", () => {
    expect(peakRatios(limit.peaks)).toEqual([{ backend: 'wasm', ratio: 8 }]);
  });
});

describe('measurePeak', () => {
  it.each(['float', 'binary'] as const)(
    'measures a positive %s peak on 1 and 2 threads of the wasm backend',
    (kind) => {
      registerWasmBackend();
      const peak = measurePeak('wasm', 2, kind, 1, 5);
      expect(peak.kind).toBe(kind);
      expect(peak.backend).toBe('wasm');
      expect(peak.threads).toBe(2);
      expect(peak.perThreadGflops).toBeGreaterThan(0.1);
      expect(peak.aggregateGflops).toBeGreaterThan(0.1);
      expect(peak.scaling).toBeCloseTo(peak.aggregateGflops / peak.perThreadGflops, 10);
    },
  );
});
