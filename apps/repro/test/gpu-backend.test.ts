import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { glAvailability } from '@fbt/gpu';
import { getBackend } from '@fbt/tensor';
import type { EpochMetrics, RunRecord } from '../src/results/records';
import { glAvailable } from '../../../test-utils/gl';
import { cli, tempDir } from './helpers';

const GL_AVAILABLE = glAvailable('gpu-backend test', glAvailability());

function runFiles(out: string): { record: RunRecord; metrics: EpochMetrics[] } {
  const dir = join(out, 'suc-ones', 'constant', 'seed-0');
  return {
    record: JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as RunRecord,
    metrics: readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as EpochMetrics),
  };
}

describe.skipIf(!GL_AVAILABLE)('fbt-repro run --backend gpu', () => {
  it('trains on the gpu backend, records it with its gpu.js mode and matches the cpu run', async () => {
    const argv = ['run', 'suc-ones', '--seeds', '0', '--epochs', '2', '--workers', '2'];
    const active = getBackend();
    const gpuOut = tempDir();
    const gpu = await cli(...argv, '--backend', 'gpu', '--out', gpuOut);
    expect(gpu.stderr).toBe('');
    expect(gpu.code).toBe(0);
    expect(gpu.stdout).toMatch(/--backend gpu: runs train one at a time in the main thread/);
    expect(gpu.stdout).toMatch(/trained 2 runs \(0 already finished, 0 failed\)/);
    expect(getBackend()).toBe(active);
    const cpuOut = tempDir();
    expect((await cli(...argv, '--backend', 'cpu', '--out', cpuOut)).code).toBe(0);

    const onGpu = runFiles(gpuOut);
    const onCpu = runFiles(cpuOut);
    expect(onGpu.record.run.backend).toBe('gpu');
    expect(onGpu.record.environment.backend).toBe('gpu');
    expect(onGpu.record.environment.backendMode).toBe('headlessgl');
    expect(onCpu.record.environment.backend).toBe('cpu');
    expect(onCpu.record.environment.backendMode).toBeNull();
    // Same seed, same float32 arithmetic up to rounding order: the same learning curve.
    expect(onGpu.metrics).toHaveLength(3);
    for (const [i, m] of onGpu.metrics.entries()) {
      expect(Math.abs(m.testAccuracy - onCpu.metrics[i]!.testAccuracy)).toBeLessThanOrEqual(0.01);
      expect(m.testLoss).toBeCloseTo(onCpu.metrics[i]!.testLoss as number, 2);
    }
    expect(onGpu.metrics[2]!.testAccuracy).toBeGreaterThan(0.9);
    expect(readFileSync(join(gpuOut, 'REPORT.md'), 'utf8')).toMatch(
      /\| backend \| gpu \(gpu\.js mode headlessgl\) \|/,
    );
  });
});
