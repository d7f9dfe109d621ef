import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withDivergence } from '../src/results/divergence';
import type { EpochMetrics } from '../src/results/records';
import { writeMetrics } from '../src/results/store';
import { suc } from './fixtures';
import { cli, tempDir } from './helpers';

function expectOneLineRefusal(result: { code: number; stderr: string }, message: RegExp): void {
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(message);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
}

describe('report skips run directories without a finished run', () => {
  it('lists half-started, interrupted and corrupt runs under "Runs not included"', async () => {
    const out = tempDir();
    suc(out, 'tied', 0, [0.5, 0.9, 1], [1, 1]);
    // Failed before its first epoch: config.json only.
    suc(out, 'tied', 1, [0.5, 0.9, 1], [1, 1]);
    rmSync(join(out, 'suc-ones', 'tied', 'seed-1', 'metrics.jsonl'));
    // Interrupted after one of two epochs.
    suc(out, 'tied', 2, [0.5, 0.9, 1], [1, 1]);
    const metrics = join(out, 'suc-ones', 'tied', 'seed-2', 'metrics.jsonl');
    writeFileSync(metrics, readFileSync(metrics, 'utf8').split('\n').slice(0, 2).join('\n'));
    // A config.json of the wrong shape, and one that is not JSON.
    suc(out, 'constant', 0, [0.5, 0.9, 1], [1, 1]);
    writeFileSync(join(out, 'suc-ones', 'constant', 'seed-0', 'config.json'), '{"run": {"seed": "x"}}');
    suc(out, 'constant', 1, [0.5, 0.9, 1], [1, 1]);
    writeFileSync(join(out, 'suc-ones', 'constant', 'seed-1', 'config.json'), '{ "run": ');

    const result = await cli('report', out);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = readFileSync(join(out, 'REPORT.md'), 'utf8');
    expect(report).toContain('## Runs not included');
    expect(report).toMatch(
      /\| suc-ones\/tied\/seed-1 +\| no metrics\.jsonl \(the run stopped before its first epoch\)/,
    );
    expect(report).toMatch(/\| suc-ones\/tied\/seed-2 +\| unfinished: 1 of 2 epochs recorded/);
    expect(report).toMatch(/\| suc-ones\/constant\/seed-0 +\| config\.json has the wrong shape: "run\./);
    expect(report).toMatch(/\| suc-ones\/constant\/seed-1 +\| config\.json is not valid JSON/);
  });

  it('refuses, in one line, a directory with no usable run', async () => {
    const out = tempDir();
    suc(out, 'tied', 0, [0.5, 0.9], [1]);
    writeFileSync(join(out, 'suc-ones', 'tied', 'seed-0', 'config.json'), '[1, 2]');
    expectOneLineRefusal(
      await cli('report', out),
      /^fbt-repro: report: no finished runs under .*\(1 run directory not usable, e\.g\. suc-ones\/tied\/seed-0: config\.json has the wrong shape/,
    );
    expect(existsSync(join(out, 'REPORT.md'))).toBe(false);
  });

  it('refuses, in one line, a file or a missing path', async () => {
    const file = join(tempDir(), 'notes.txt');
    writeFileSync(file, 'hello');
    expectOneLineRefusal(
      await cli('report', file),
      /^fbt-repro: report: .*notes\.txt is a file; expected a results directory\n$/,
    );
    expectOneLineRefusal(
      await cli('report', join(file, 'x')),
      /^fbt-repro: report: cannot read .* \(ENOTDIR\)\n$/,
    );
  });
});

describe('divergence is recorded explicitly', () => {
  it('records NaN and infinite losses by name and marks the epoch', () => {
    const m = withDivergence({
      epoch: 2,
      trainLoss: Number.NaN,
      trainAccuracy: 0.5,
      testLoss: Number.POSITIVE_INFINITY,
      testAccuracy: 0.5,
      seconds: 1,
    });
    expect(JSON.parse(JSON.stringify(m))).toEqual({
      epoch: 2,
      trainLoss: 'NaN',
      trainAccuracy: 0.5,
      testLoss: 'Infinity',
      testAccuracy: 0.5,
      seconds: 1,
      diverged: true,
    });
    const fine = withDivergence({
      epoch: 0,
      trainLoss: null,
      trainAccuracy: null,
      testLoss: 0.7,
      testAccuracy: 0.5,
      seconds: 0,
    });
    expect(fine).not.toHaveProperty('diverged');
    expect(fine.trainLoss).toBeNull();
  });

  it('says in the summaries and REPORT.md which seed diverged and when', async () => {
    const out = tempDir();
    suc(out, 'tied', 0, [0.5, 0.9, 0.9], [1, 1]);
    suc(out, 'tied', 1, [0.5, 0.9, 0.5, 0.5], [1, 1, 1]);
    const dir = join(out, 'suc-ones', 'tied', 'seed-1');
    const lines = readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as EpochMetrics)
      .map((m) =>
        m.epoch >= 2
          ? { ...m, trainLoss: 'NaN' as const, testLoss: 'NaN' as const, diverged: true as const }
          : m,
      );
    writeMetrics(dir, lines);
    expect((await cli('report', out)).code).toBe(0);
    expect(readFileSync(join(out, 'suc-ones', 'summary.md'), 'utf8')).toMatch(
      / — seed 1 diverged at epoch 2 \|/,
    );
    expect(readFileSync(join(out, 'suc-ones', 'summary.csv'), 'utf8')).toMatch(
      /,seed 1 diverged at epoch 2\n/,
    );
    expect(readFileSync(join(out, 'REPORT.md'), 'utf8')).toContain('seed 1 diverged at epoch 2');
  });
});
