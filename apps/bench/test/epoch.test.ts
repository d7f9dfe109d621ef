import type { PerformanceEntry } from 'node:perf_hooks';
import { Rng, tensor } from '@fbt/tensor';
import { describe, expect, it } from 'vitest';
import type { EpochData } from '../src/epoch/data';
import { pausedWithin } from '../src/epoch/gc-time';
import { timeEpoch, type EpochTiming } from '../src/epoch/measure';
import { epochCpuRatio, epochRatio, formatEpochTable } from '../src/epoch/report';

/** `n` random 1×28×28 images with labels `i mod 10`. */
function split(rng: Rng, n: number): EpochData['train'] {
  return {
    x: tensor(rng.fillUniform(new Float32Array(n * 784), 0, 1), [n, 1, 28, 28]),
    y: tensor(
      Int32Array.from({ length: n }, (_, i) => i % 10),
      [n],
      'int32',
    ),
  };
}

const step = { medianMs: 10, minMs: 9, cpuMedianMs: 10, samples: 5 };
const timing: EpochTiming = {
  batchSize: 64,
  steps: 100,
  trainMs: 1200,
  trainCpuMs: 1100,
  evalMs: 300,
  trainGcMs: 40,
  loaderMs: 80,
  stepBefore: { ...step, medianMs: 12, cpuMedianMs: 12 },
  stepAfter: { ...step, medianMs: 8, cpuMedianMs: 8 },
  mnistStep: { ...step, medianMs: 11 },
};

describe('epoch report', () => {
  it('divides the training loop by steps × the mean of the step medians before and after', () => {
    expect(epochRatio(timing)).toBeCloseTo(1.2);
    const table = formatEpochTable([timing]);
    expect(table).toMatch(/epoch ÷ \(steps×step\)/);
    expect(epochCpuRatio(timing)).toBeCloseTo(1.1);
    expect(table.split('\n')[2]).toMatch(
      /^64 +100 +1\.20 +12\.00 +8\.00 +11\.00 +1\.00 +1\.200x +1\.100x +0\.20 +0\.08 +0\.04 +0\.30$/,
    );
  });

  it('sums the GC pauses that started inside the window', () => {
    const entries = [
      { startTime: 5, duration: 1 },
      { startTime: 10, duration: 2 },
      { startTime: 19, duration: 4 },
      { startTime: 20, duration: 8 },
    ] as PerformanceEntry[];
    expect(pausedWithin(entries, 10, 20)).toBe(6);
  });
});

describe('timeEpoch', () => {
  it('runs one epoch of the training loop and the isolated step on a small set', async () => {
    const rng = new Rng(3);
    const data: EpochData = { train: split(rng, 96), test: split(rng, 20) };
    const t = await timeEpoch('cpu', data, 32);
    expect(t.steps).toBe(3);
    for (const step of [t.stepBefore, t.stepAfter, t.mnistStep])
      expect(step.samples).toBeGreaterThanOrEqual(5);
    for (const ms of [t.trainMs, t.trainCpuMs, t.evalMs, t.loaderMs]) expect(ms).toBeGreaterThan(0);
  }, 120_000);
});
