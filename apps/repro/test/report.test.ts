import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { suc, syntheticRow } from './fixtures';
import {
  atLeastCheck,
  evaluateClaims,
  matchCheck,
  staysCheck,
  trainsCheck,
  verdictOf,
  type Check,
} from '../src/report/claims';
import { bnnSucConfigId } from '../src/experiments/bnn-suc';
import { EXPERIMENTS } from '../src/experiments';
import { JAM_RULES, jammingConfigId } from '../src/experiments/jamming';
import { lenetRectConfigId } from '../src/experiments/lenet-rect';
import { mlpDigitsConfigId } from '../src/experiments/mlp-digits';
import { sucOnesConfigId } from '../src/experiments/suc-ones';
import { buildReport } from '../src/report/write';
import { epochsTo90 } from '../src/report/stats';
import { cli, snapshot, tempDir } from './helpers';

/** Synthetic suc-ones results: tied reaches 1.0/0.98, constant 0.9/0.8 over two seeds. */
function writeSynthetic(): string {
  const out = tempDir();
  suc(out, 'tied', 0, [0.5, 0.8, 0.95, 1.0], [1, 2, 3]);
  suc(out, 'tied', 1, [0.5, 0.9, 0.98, 0.98], [2, 2, 2]);
  suc(out, 'constant', 0, [0.4, 0.85, 0.9, 0.9], [1, 1, 1]);
  suc(out, 'constant', 1, [0.4, 0.6, 0.8, 0.8], [3, 3, 3]);
  return out;
}

describe('report from saved metrics', () => {
  it('computes mean ± std of final/best accuracy, epochs to 90 % and seconds per epoch', async () => {
    const out = writeSynthetic();
    await buildReport(out);
    const csv = readFileSync(join(out, 'suc-ones', 'summary.csv'), 'utf8')
      .trim()
      .split('\n');
    expect(csv[0]).toBe(
      'config,dataset,forward,rule,seeds,final_test_acc_mean,final_test_acc_std,best_test_acc_mean,best_test_acc_std,epochs_to_90pct_mean,epochs_to_90pct_std,seconds_per_epoch_mean,seconds_per_epoch_std,diverged',
    );
    // tied: finals 1.0, 0.98 → mean 0.99, sample std 0.01414; epochs to 0.9·final: 2 (0.95 ≥ 0.9) and 1 (0.9 ≥ 0.882) → 1.5 ± 0.7071;
    // seconds per epoch 2 and 2 → 2 ± 0.
    expect(csv[1]).toBe('tied,ones d=10,logistic,tied,2,0.9900,0.0141,0.9900,0.0141,1.50,0.71,2.000,0.000,');
    // constant: finals 0.9, 0.8 → 0.85 ± 0.0707; 90 % targets 0.81 (epoch 1) and 0.72 (epoch 2).
    expect(csv[2]).toBe(
      'constant,ones d=10,logistic,constant,2,0.8500,0.0707,0.8500,0.0707,1.50,0.71,2.000,1.414,',
    );
    const md = readFileSync(join(out, 'suc-ones', 'summary.md'), 'utf8');
    expect(md).toContain(
      '| tied | ones d=10 | logistic | tied | 2 | 99.00 ± 1.41 | 99.00 ± 1.41 | 1.5 ± 0.7 | 2.00 ± 0.00 |',
    );
    const report = readFileSync(join(out, 'REPORT.md'), 'utf8');
    // Δ = −14 points, far beyond the 1-point tolerance plus max(2, 2·se) → does not hold.
    expect(report).toContain(
      '| A constant backward matches the tied derivative on the single-unit Ones task (SUC). | Table 2 | **does not hold** |',
    );
    expect(report).toContain('## Environment');
    expect(report).toContain('![suc-ones curves.svg](suc-ones/curves.svg)');
    expect(readFileSync(join(out, 'suc-ones', 'curves.svg'), 'utf8')).toMatch(/^<svg/);
    expect(readFileSync(join(out, 'suc-ones', 'activations.svg'), 'utf8')).toMatch(/^<svg/);
  });

  it('`fbt-repro report DIR` rebuilds byte-identical files', async () => {
    const out = writeSynthetic();
    await buildReport(out);
    const first = snapshot(out);
    const { code, stdout } = await cli('report', out);
    expect(code).toBe(0);
    expect(stdout).toMatch(/rebuilt \d+ files for suc-ones/);
    expect(snapshot(out)).toEqual(first);
  });

  it('reads epochs to 90 % from the trained epochs only', () => {
    const m = (epoch: number, testAccuracy: number) => ({
      epoch,
      trainLoss: null,
      trainAccuracy: null,
      testLoss: 0,
      testAccuracy,
      seconds: 0,
    });
    expect(epochsTo90([m(0, 0.95), m(1, 0.5), m(2, 0.9), m(3, 1)])).toBe(2);
  });
});

describe('claim verdict rules', () => {
  const status = (c: Check) => c.status;

  it('match: pass when Δ ≥ −1 point, fail below; no band in between', () => {
    expect(status(matchCheck('m', [0.985], [0.99]))).toBe('pass');
    expect(status(matchCheck('m', [0.995], [0.99]))).toBe('pass');
    expect(status(matchCheck('m', [0.9795], [0.99]))).toBe('fail');
    expect(status(matchCheck('m', [0.95], [0.99]))).toBe('fail');
    // Noisy seeds are reported (sample std 0.0707 each: 2·se = 2·√(0.005/2 + 0.005/2) = 14.14 points) but do not move the cut.
    const noisy = matchCheck('m', [0.9, 1.0], [0.94, 1.04]);
    expect(noisy.status).toBe('fail');
    expect(noisy.detail).toContain('2·se 14.14');
  });

  it('threshold, trains and stays-at-initial checks each have one cut', () => {
    expect(status(atLeastCheck('t', [0.97, 0.98], 0.97))).toBe('pass');
    expect(status(atLeastCheck('t', [0.9699], 0.97))).toBe('fail');
    // trains: (final − initial) / (1 − initial) ≥ ½
    expect(status(trainsCheck('r', [0.75, 0.75], [0.5, 0.5]))).toBe('pass');
    expect(status(trainsCheck('r', [0.74], [0.5]))).toBe('fail');
    expect(trainsCheck('r', [0.9], [0.6]).detail).toBe(
      '60.00 % → 90.00 %: 75.0 % of the gap to 100 % closed (needs ≥ 50 %)',
    );
    expect(status(staysCheck('s', [0.51, 0.6], [0.51, 0.595]))).toBe('pass');
    expect(status(staysCheck('s', [0.5201], [0.51]))).toBe('fail');
    expect(status(staysCheck('s', [0.9], [0.51]))).toBe('fail');
  });

  it('verdict: missing/precondition → inconclusive, any fail → does not hold, all pass → holds', () => {
    const c = (s: Check['status']): Check => ({ what: '', status: s, detail: '' });
    expect(verdictOf([c('pass'), c('pass')])).toBe('holds');
    expect(verdictOf([c('pass'), c('fail')])).toBe('does not hold');
    expect(verdictOf([c('fail'), c('missing')])).toBe('inconclusive');
    expect(verdictOf([c('fail'), c('unmet precondition')])).toBe('inconclusive');
    expect(verdictOf([])).toBe('inconclusive');
  });

  it("finds every config a claim reads among its experiment's own config ids", () => {
    const summaries = new Map(
      EXPERIMENTS.map((e) => [
        e.full.name,
        e.full.configs.map((c) => ({ ...syntheticRow(c.id, [0.99]), initials: [0.1] })),
      ]),
    );
    const tiers = new Map(EXPERIMENTS.map((e) => [e.full.name, 'full' as const]));
    for (const claim of evaluateClaims({ summaries, tiers }))
      expect(claim.checks.filter((c) => c.status === 'missing').map((c) => c.detail)).toEqual([]);
  });

  it('evaluates the paper claims from summaries', () => {
    const row = syntheticRow;
    const bnn = [8, 16, 32, 64].flatMap((d) =>
      [32, 64].flatMap((b) => [
        row(bnnSucConfigId(d, b, 'constant'), [0.97]),
        row(bnnSucConfigId(d, b, 'tied'), [0.52], [0.52]),
      ]),
    );
    const jam = (dataset: string, forward: string, tied: number, jams: number) => [
      row(jammingConfigId(dataset, forward, 'tied'), [tied]),
      ...JAM_RULES.map((r) => row(jammingConfigId(dataset, forward, r.name), [jams])),
    ];
    const claims = evaluateClaims({
      summaries: new Map([
        [
          'suc-ones',
          [row(sucOnesConfigId('tied'), [1, 1, 1]), row(sucOnesConfigId('constant'), [0.995, 1, 1])],
        ],
        ['mlp-digits', [row(mlpDigitsConfigId('tied'), [0.95]), row(mlpDigitsConfigId('constant'), [0.9])]],
        ['lenet-rect', [row(lenetRectConfigId('rectangular'), [0.98])]],
        [
          'jamming',
          ['mnist', 'fashion-mnist'].flatMap((d) => [
            ...jam(d, 'relu', 0.98, 0.97),
            ...jam(d, 'linear', 0.92, 0.91),
            ...jam(d, 'logistic', 0.9, 0.6),
          ]),
        ],
        ['bnn-suc', bnn],
      ]),
      tiers: new Map([
        ['lenet-rect', 'default'],
        ['jamming', 'default'],
      ]),
    });
    expect(claims.map((c) => c.verdict)).toEqual(['holds', 'does not hold', 'holds', 'holds', 'holds']);

    // Untrained baselines (chance-level tied runs) make the jamming claim unmeasurable, and a quick
    // LeNet run cannot test the 97 % claim: both inconclusive, whatever the other checks say.
    const untrained = evaluateClaims({
      summaries: new Map([
        ['lenet-rect', [row(lenetRectConfigId('rectangular'), [0.1])]],
        [
          'jamming',
          ['mnist', 'fashion-mnist'].flatMap((d) => [
            ...jam(d, 'relu', 0.13, 0.13),
            ...jam(d, 'linear', 0.23, 0.1),
            ...jam(d, 'logistic', 0.11, 0.11),
          ]),
        ],
      ]),
      tiers: new Map([['lenet-rect', 'quick']]),
    });
    expect(untrained[2]!.verdict).toBe('inconclusive');
    expect(untrained[3]!.verdict).toBe('inconclusive');
    expect(untrained[3]!.checks.filter((c) => c.status === 'unmet precondition')).toHaveLength(4);
  });
});
