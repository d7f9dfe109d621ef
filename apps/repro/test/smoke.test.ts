import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EpochMetrics, RunRecord } from '../src/results/records';
import { cli, snapshot, tempDir } from './helpers';

function metricsOf(dir: string): EpochMetrics[] {
  return readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as EpochMetrics);
}

describe('end to end', () => {
  it('suc-ones (one seed): files, numbers, report; a rerun skips finished runs and changes nothing', async () => {
    const out = tempDir();
    const first = await cli('run', 'suc-ones', '--seeds', '0', '--epochs', '10', '--out', out);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/trained 2 runs \(0 already finished, 0 failed\)/);
    for (const config of ['tied', 'constant']) {
      const dir = join(out, 'suc-ones', config, 'seed-0');
      const record = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as RunRecord;
      expect(record.run.settings.epochs).toBe(10);
      expect(record.run.settings.rule.name).toBe(config);
      expect(record.environment.packages['@fbt/surrogates']).toMatch(/^\d+\.\d+\.\d+$/);
      const metrics = metricsOf(dir);
      expect(metrics.map((m) => m.epoch)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      for (const m of metrics) {
        expect(m.testAccuracy).toBeGreaterThanOrEqual(0);
        expect(m.testAccuracy).toBeLessThanOrEqual(1);
        expect(Number.isFinite(m.testLoss)).toBe(true);
      }
      // Both rules learn the Ones task (τ = 0.7) well beyond the majority class with seed 0.
      expect(metrics[10]!.testAccuracy).toBeGreaterThan(0.95);
      expect(metrics[10]!.trainLoss as number).toBeLessThan(metrics[1]!.trainLoss as number);
    }
    const csv = readFileSync(join(out, 'suc-ones', 'summary.csv'), 'utf8');
    expect(csv.split('\n')[1]).toMatch(/^tied,ones d=10,logistic,tied,1,0\.9\d{3},0\.0000,/);
    expect(readFileSync(join(out, 'REPORT.md'), 'utf8')).toContain('## suc-ones');

    const before = snapshot(out);
    const mtime = statSync(join(out, 'suc-ones', 'tied', 'seed-0', 'metrics.jsonl')).mtimeMs;
    const again = await cli('run', 'suc-ones', '--seeds', '0', '--epochs', '10', '--out', out);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/trained 0 runs \(2 already finished, 0 failed\)/);
    expect(statSync(join(out, 'suc-ones', 'tied', 'seed-0', 'metrics.jsonl')).mtimeMs).toBe(mtime);
    expect(snapshot(out)).toEqual(before);
  });

  it('a user config on a tiny MNIST subset with LeNet-5 and the direction probe', async () => {
    const dir = tempDir();
    const file = join(dir, 'tiny.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: 'tiny',
        model: { kind: 'lenet5' },
        dataset: { name: 'mnist', trainSize: 64, testSize: 32 },
        loss: 'cross-entropy',
        optimizer: { name: 'sgd', lr: 0.01 },
        epochs: 1,
        batchSize: 32,
        seeds: [0],
        forwards: ['relu'],
        rules: [{ name: 'fullJam' }],
        probe: true,
      }),
    );
    const out = join(dir, 'results');
    const { code, stderr } = await cli('run', '--config', file, '--out', out);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const metrics = metricsOf(join(out, 'tiny', 'relu-fullJam', 'seed-0'));
    expect(metrics).toHaveLength(2);
    const probe = metrics[1]!.probe!;
    expect(probe.map((p) => p.layer)).toEqual([
      '0.weight',
      '0.bias',
      '3.weight',
      '3.bias',
      '7.weight',
      '7.bias',
      '9.weight',
      '9.bias',
      '11.weight',
      '11.bias',
    ]);
    for (const p of probe) {
      expect(p.cosine).toBeGreaterThanOrEqual(-1);
      expect(p.cosine).toBeLessThanOrEqual(1);
      expect(p.signAgreement).toBeGreaterThanOrEqual(0);
      expect(p.signAgreement).toBeLessThanOrEqual(1);
    }
    // The output layer sits after every activation: its gradient does not depend on the rule.
    expect(probe.find((p) => p.layer === '11.bias')!.cosine).toBeCloseTo(1, 5);
    expect(readFileSync(join(out, 'REPORT.md'), 'utf8')).toContain('Direction probe');
  });
});
