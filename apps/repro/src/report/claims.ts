import { BNN_SUC_BATCHES, BNN_SUC_DIMS } from '../experiments/bnn-suc';
import { JAMMING_DATASETS, JAMMING_FORWARDS, JAM_RULES } from '../experiments/jamming';
import { percent } from './format';
import { mean, std } from './stats';
import type { SummaryRow } from './summary';

/** A claim's verdict. */
export type Verdict = 'holds' | 'does not hold' | 'inconclusive';

/** Outcome of one check of a claim. */
export type CheckStatus = 'pass' | 'fail' | 'marginal' | 'missing' | 'unmet precondition';

/** One numeric check with what it measured. */
export interface Check {
  readonly what: string;
  readonly status: CheckStatus;
  /** The numbers behind the status. */
  readonly detail: string;
}

/** A paper claim, the rule used to judge it, its checks and the verdict. */
export interface ClaimResult {
  readonly statement: string;
  readonly source: string;
  readonly rule: string;
  readonly checks: readonly Check[];
  readonly verdict: Verdict;
}

/** Summaries by experiment name, and whether each experiment ran in quick mode. */
export interface ClaimInput {
  readonly summaries: ReadonlyMap<string, readonly SummaryRow[]>;
  readonly quick: ReadonlyMap<string, boolean>;
}

/** The rule every claim's verdict follows. */
export const VERDICT_RULE =
  'A claim is inconclusive when any of its checks lacks data or has an unmet precondition; otherwise it does not hold when any check fails, holds when every check passes, and is inconclusive when some check is marginal (between pass and fail).';

/** Margin between a pass and a fail for threshold checks (2 percentage points). */
export const MARGIN = 0.02;
/** A rule "matches" tied when its mean final accuracy is at most this far below (1 point). */
export const MATCH_TOLERANCE = 0.01;

/** Combines check statuses into a verdict by `VERDICT_RULE`. */
export function verdictOf(checks: readonly Check[]): Verdict {
  if (checks.length === 0) return 'inconclusive';
  if (checks.some((c) => c.status === 'missing' || c.status === 'unmet precondition')) return 'inconclusive';
  if (checks.some((c) => c.status === 'fail')) return 'does not hold';
  if (checks.every((c) => c.status === 'pass')) return 'holds';
  return 'inconclusive';
}

function row(input: ClaimInput, experiment: string, config: string): SummaryRow | undefined {
  return input.summaries.get(experiment)?.find((r) => r.config === config);
}

function missing(what: string, experiment: string, config: string): Check {
  return { what, status: 'missing', detail: `no finished runs of ${experiment}/${config}` };
}

/**
 * `rule` matches `tied`: Δ = mean(rule) − mean(tied) of final test accuracy. Pass when
 * Δ ≥ −MATCH_TOLERANCE; fail when Δ < −MATCH_TOLERANCE − max(MARGIN, 2·se(Δ)); marginal between.
 */
export function matchCheck(what: string, candidate: readonly number[], tied: readonly number[]): Check {
  const delta = mean(candidate) - mean(tied);
  const se = Math.sqrt(std(candidate) ** 2 / candidate.length + std(tied) ** 2 / tied.length);
  const allowance = Math.max(MARGIN, 2 * se);
  const status: CheckStatus =
    delta >= -MATCH_TOLERANCE ? 'pass' : delta < -MATCH_TOLERANCE - allowance ? 'fail' : 'marginal';
  return {
    what,
    status,
    detail: `${percent(mean(candidate))} % vs ${percent(mean(tied))} % (Δ ${(100 * delta).toFixed(2)} points, 2·se ${(200 * se).toFixed(2)})`,
  };
}

/** Mean final accuracy ≥ threshold: pass; below threshold − MARGIN: fail; marginal between. */
export function atLeastCheck(what: string, values: readonly number[], threshold: number): Check {
  const m = mean(values);
  const status: CheckStatus = m >= threshold ? 'pass' : m < threshold - MARGIN ? 'fail' : 'marginal';
  return { what, status, detail: `${percent(m)} % (threshold ${percent(threshold)} %)` };
}

/**
 * Accuracy stays at its initial value: the largest |final − initial| over seeds ≤ 1 point passes,
 * > 5 points fails, marginal between.
 */
export function staysCheck(what: string, finals: readonly number[], initials: readonly number[]): Check {
  const moved = Math.max(...finals.map((f, i) => Math.abs(f - (initials[i] ?? Number.NaN))));
  const status: CheckStatus =
    moved <= 0.01 ? 'pass' : moved > 0.05 ? 'fail' : Number.isNaN(moved) ? 'missing' : 'marginal';
  return { what, status, detail: `largest |final − initial| ${(100 * moved).toFixed(2)} points` };
}

function matchClaim(
  input: ClaimInput,
  experiment: string,
  statement: string,
  source: string,
  candidate: string,
): ClaimResult {
  const c = row(input, experiment, candidate);
  const t = row(input, experiment, 'tied');
  const check =
    c === undefined
      ? missing(`${candidate} vs tied`, experiment, candidate)
      : t === undefined
        ? missing(`${candidate} vs tied`, experiment, 'tied')
        : matchCheck(`${candidate} vs tied (final test accuracy)`, c.finals, t.finals);
  const checks = [check];
  return {
    statement,
    source,
    rule: `Δ = mean(${candidate}) − mean(tied) of the final test accuracy over seeds; pass when Δ ≥ −${percent(MATCH_TOLERANCE)} points, fail when Δ < −${percent(MATCH_TOLERANCE)} − max(${percent(MARGIN)}, 2·se(Δ)) points.`,
    checks,
    verdict: verdictOf(checks),
  };
}

/** The paper's bar for "LeNet-5 trains with a rectangular backward" (Table 4: ≥ 97 %). */
export const LENET_THRESHOLD = 0.97;

function lenetClaim(input: ClaimInput): ClaimResult {
  const r = row(input, 'lenet-rect', 'rectangular');
  const checks: Check[] = [
    r === undefined
      ? missing('rectangular reaches the threshold', 'lenet-rect', 'rectangular')
      : atLeastCheck('rectangular: mean final test accuracy', r.finals, LENET_THRESHOLD),
  ];
  if (input.quick.get('lenet-rect') === true) {
    checks.push({
      what: 'run at the paper settings (full MNIST, 30 epochs)',
      status: 'unmet precondition',
      detail: 'quick mode trains on a small subset for a few epochs, too little to test a 97 % claim',
    });
  }
  return {
    statement: 'LeNet-5 with a logistic forward trains on MNIST with a rectangular(−0.5, 0.5) backward.',
    source: 'Table 4',
    rule: `pass when the mean final test accuracy ≥ ${percent(LENET_THRESHOLD)} %, fail when more than ${percent(MARGIN)} points below; precondition: the paper settings (not --quick).`,
    checks,
    verdict: verdictOf(checks),
  };
}

/** Largest mean accuracy drop from tied to the jamming rules that still counts as robust. */
export const ROBUST_DROP = 0.05;
/** Logistic counts as more sensitive when its drop exceeds the larger of relu's and linear's by this. */
export const SENSITIVITY_GAP = 0.02;
/** Each forward's tied baseline must reach this accuracy for a drop under jamming to be measurable. */
export const BASELINE_TRAINED = 0.5;

function jammingClaim(input: ClaimInput): ClaimResult {
  const jamRules = JAM_RULES.map((r) => r.name);
  const checks: Check[] = [];
  for (const dataset of JAMMING_DATASETS) {
    const drops = new Map<string, number>();
    for (const forward of JAMMING_FORWARDS) {
      const tied = row(input, 'jamming', `${dataset}-${forward}-tied`);
      const jams = jamRules.map((r) => row(input, 'jamming', `${dataset}-${forward}-${r}`));
      if (tied === undefined || jams.some((j) => j === undefined)) {
        checks.push(missing(`${dataset} ${forward}`, 'jamming', `${dataset}-${forward}-*`));
        continue;
      }
      const drop = tied.final.mean - mean(jams.map((j) => j!.final.mean));
      drops.set(forward, drop);
      checks.push({
        what: `${dataset}: tied ${forward} baseline trained`,
        status: tied.final.mean >= BASELINE_TRAINED ? 'pass' : 'unmet precondition',
        detail: `${percent(tied.final.mean)} % (needs ≥ ${percent(BASELINE_TRAINED)} %)`,
      });
      if (forward !== 'logistic') {
        checks.push({
          what: `${dataset}: ${forward} robust to jamming`,
          status: drop <= ROBUST_DROP ? 'pass' : drop > 2 * ROBUST_DROP ? 'fail' : 'marginal',
          detail: `drop ${(100 * drop).toFixed(2)} points`,
        });
      }
    }
    const logistic = drops.get('logistic');
    const others = JAMMING_FORWARDS.filter((f) => f !== 'logistic').map((f) => drops.get(f));
    if (logistic !== undefined && others.every((d) => d !== undefined)) {
      const gap = logistic - Math.max(...(others as number[]));
      checks.push({
        what: `${dataset}: logistic more sensitive than relu and linear`,
        status: gap >= SENSITIVITY_GAP ? 'pass' : gap <= 0 ? 'fail' : 'marginal',
        detail: `logistic drop ${(100 * logistic).toFixed(2)} points, ${(100 * gap).toFixed(2)} points above the larger other drop`,
      });
    }
  }
  return {
    statement:
      'ReLU and linear forwards are robust to jamming, while the logistic forward is more sensitive.',
    source: 'Tables 6–8',
    rule: `per dataset and forward, drop = final accuracy of tied − mean final accuracy of ${jamRules.join('/')}. relu/linear pass when drop ≤ ${percent(ROBUST_DROP)} points and fail above ${percent(2 * ROBUST_DROP)}; logistic passes when its drop exceeds the larger relu/linear drop by ≥ ${percent(SENSITIVITY_GAP)} points and fails when it does not exceed it; precondition: every tied baseline reaches ${percent(BASELINE_TRAINED)} %.`,
    checks,
    verdict: verdictOf(checks),
  };
}

/** Accuracy a Heaviside unit must reach with a constant backward (the acceptance bar, ≥ 93 %). */
export const HEAVISIDE_THRESHOLD = 0.93;

function heavisideClaim(input: ClaimInput): ClaimResult {
  const checks: Check[] = [];
  for (const d of BNN_SUC_DIMS) {
    for (const b of BNN_SUC_BATCHES) {
      const constant = row(input, 'bnn-suc', `d${d}-b${b}-constant`);
      const tied = row(input, 'bnn-suc', `d${d}-b${b}-tied`);
      checks.push(
        constant === undefined
          ? missing(`d=${d} b=${b} constant`, 'bnn-suc', `d${d}-b${b}-constant`)
          : atLeastCheck(`d=${d} b=${b}: constant trains`, constant.finals, HEAVISIDE_THRESHOLD),
        tied === undefined
          ? missing(`d=${d} b=${b} tied`, 'bnn-suc', `d${d}-b${b}-tied`)
          : staysCheck(`d=${d} b=${b}: tied stays at its initial accuracy`, tied.finals, tied.initials),
      );
    }
  }
  return {
    statement:
      'A Heaviside unit trains with a constant backward and not with the tied (zero almost everywhere) one.',
    source: 'Tables 13–14',
    rule: `for every d and batch size: constant passes at a mean final accuracy ≥ ${percent(HEAVISIDE_THRESHOLD)} % (fails ${percent(MARGIN)} points below); tied passes when no seed moves more than 1 point from its epoch-0 accuracy and fails when one moves more than 5.`,
    checks,
    verdict: verdictOf(checks),
  };
}

/** Every claim of the paper that the suite tests, judged from the summaries. */
export function evaluateClaims(input: ClaimInput): ClaimResult[] {
  return [
    matchClaim(
      input,
      'suc-ones',
      'A constant backward matches the tied derivative on the single-unit Ones task (SUC).',
      'Table 2',
      'constant',
    ),
    matchClaim(
      input,
      'mlp-digits',
      'A constant backward matches the tied derivative for the 64-64-10 MLP on DIGITS.',
      'Table 3',
      'constant',
    ),
    lenetClaim(input),
    jammingClaim(input),
    heavisideClaim(input),
  ];
}
