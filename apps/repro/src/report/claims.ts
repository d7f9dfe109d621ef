import { BNN_SUC_BATCHES, BNN_SUC_DIMS, bnnSucConfigId } from '../experiments/bnn-suc';
import { JAMMING_DATASETS, JAM_RULES, jammingConfigId, ROBUST_FORWARDS } from '../experiments/jamming';
import { lenetRectConfigId } from '../experiments/lenet-rect';
import { mlpDigitsConfigId } from '../experiments/mlp-digits';
import { sucOnesConfigId } from '../experiments/suc-ones';
import type { Tier } from '../experiments/types';
import { percent } from './format';
import { mean, std } from './stats';
import type { SummaryRow } from './summary';

/** A claim's verdict. */
export type Verdict = 'holds' | 'does not hold' | 'inconclusive';

/** Outcome of one check of a claim. */
export type CheckStatus = 'pass' | 'fail' | 'missing' | 'unmet precondition';

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

/** Summaries by experiment name, and the tier each experiment's runs were planned from. */
export interface ClaimInput {
  readonly summaries: ReadonlyMap<string, readonly SummaryRow[]>;
  readonly tiers: ReadonlyMap<string, Tier>;
}

/** The rule every claim's verdict follows. */
export const VERDICT_RULE =
  'Every check has one threshold, so a claim with all its data is decided: it holds when every check passes and does not hold when any fails. It is inconclusive only when a check lacks its runs or has an unmet precondition (a quick-tier LeNet-5 run, an untrained baseline).';

/** Verdict of a set of checks by `VERDICT_RULE`. */
export function verdictOf(checks: readonly Check[]): Verdict {
  if (checks.length === 0) return 'inconclusive';
  if (checks.some((c) => c.status === 'missing' || c.status === 'unmet precondition')) return 'inconclusive';
  return checks.some((c) => c.status === 'fail') ? 'does not hold' : 'holds';
}

/** The summary row of one config of an experiment, or undefined when it has no finished runs. */
export function row(input: ClaimInput, experiment: string, config: string): SummaryRow | undefined {
  return input.summaries.get(experiment)?.find((r) => r.config === config);
}

/** The check of a config without finished runs. */
export function missing(what: string, experiment: string, config: string): Check {
  return { what, status: 'missing', detail: `no finished runs of ${experiment}/${config}` };
}

function passIf(ok: boolean): CheckStatus {
  return ok ? 'pass' : 'fail';
}

function points(x: number): string {
  return (100 * x).toFixed(2);
}

/** A candidate rule "matches" tied when its mean final accuracy is at most this far below (1 point). */
export const MATCH_TOLERANCE = 0.01;

/**
 * `candidate` matches `tied`: Δ = mean(candidate) − mean(tied) of final test accuracy over seeds;
 * pass when Δ ≥ −MATCH_TOLERANCE, fail otherwise (2·se(Δ) is shown for the seed-to-seed spread).
 */
export function matchCheck(what: string, candidate: readonly number[], tied: readonly number[]): Check {
  const delta = mean(candidate) - mean(tied);
  const se = Math.sqrt(std(candidate) ** 2 / candidate.length + std(tied) ** 2 / tied.length);
  return {
    what,
    status: passIf(delta >= -MATCH_TOLERANCE),
    detail: `${percent(mean(candidate))} % vs ${percent(mean(tied))} % over ${candidate.length} and ${tied.length} seeds (Δ ${points(delta)} points, 2·se ${points(2 * se)})`,
  };
}

/** Mean final accuracy ≥ threshold: pass; below: fail. */
export function atLeastCheck(what: string, values: readonly number[], threshold: number): Check {
  const m = mean(values);
  return {
    what,
    status: passIf(m >= threshold),
    detail: `${percent(m)} % (threshold ${percent(threshold)} %)`,
  };
}

/** "Trains": the share of the gap from the epoch-0 accuracy to 100 % that training closes (means over seeds). */
export const TRAINS_GAP_SHARE = 0.5;

/**
 * A rule trains a model: (mean final − mean initial) / (1 − mean initial) ≥ TRAINS_GAP_SHARE passes,
 * less fails. Relative to the start, so it means the same on easy and hard inputs.
 */
export function trainsCheck(what: string, finals: readonly number[], initials: readonly number[]): Check {
  const start = mean(initials);
  const share = (mean(finals) - start) / (1 - start);
  return {
    what,
    status: passIf(share >= TRAINS_GAP_SHARE),
    detail: `${percent(start)} % → ${percent(mean(finals))} %: ${(100 * share).toFixed(1)} % of the gap to 100 % closed (needs ≥ ${100 * TRAINS_GAP_SHARE} %)`,
  };
}

/** Largest |final − initial| accuracy (any seed) that still counts as "stays at its initial accuracy". */
export const STAYS_TOLERANCE = 0.01;

/** Accuracy stays at its initial value: the largest |final − initial| over seeds ≤ 1 point passes, more fails. */
export function staysCheck(what: string, finals: readonly number[], initials: readonly number[]): Check {
  const moved = Math.max(...finals.map((f, i) => Math.abs(f - (initials[i] ?? Number.NaN))));
  const status: CheckStatus = Number.isNaN(moved) ? 'missing' : passIf(moved <= STAYS_TOLERANCE);
  return { what, status, detail: `largest |final − initial| ${points(moved)} points` };
}

/** The unmet precondition of an experiment planned from the quick tier (a smoke test, not a measurement). */
export function quickPrecondition(
  input: ClaimInput,
  experiment: string,
  detail = 'the quick tier trains LeNet-5 on a few thousand images for 1–2 epochs: a smoke test, not a measurement',
): Check[] {
  if (input.tiers.get(experiment) !== 'quick') return [];
  return [
    {
      what: `${experiment} trained long enough (default or full tier)`,
      status: 'unmet precondition',
      detail,
    },
  ];
}

function matchClaim(
  input: ClaimInput,
  experiment: string,
  configId: (ruleName: string) => string,
  statement: string,
  source: string,
  candidate: string,
): ClaimResult {
  const c = row(input, experiment, configId(candidate));
  const t = row(input, experiment, configId('tied'));
  const checks = [
    c === undefined
      ? missing(`${candidate} vs tied`, experiment, configId(candidate))
      : t === undefined
        ? missing(`${candidate} vs tied`, experiment, configId('tied'))
        : matchCheck(`${candidate} vs tied (final test accuracy)`, c.finals, t.finals),
  ];
  return {
    statement,
    source,
    rule: `Δ = mean(${candidate}) − mean(tied) of the final test accuracy over seeds; pass when Δ ≥ −${percent(MATCH_TOLERANCE)} points, fail otherwise.`,
    checks,
    verdict: verdictOf(checks),
  };
}

/** The paper's bar for "LeNet-5 trains with a rectangular backward" (Table 4: ≥ 97 %). */
export const LENET_THRESHOLD = 0.97;

function lenetClaim(input: ClaimInput): ClaimResult {
  const id = lenetRectConfigId('rectangular');
  const r = row(input, 'lenet-rect', id);
  const checks: Check[] = [
    r === undefined
      ? missing('rectangular reaches the threshold', 'lenet-rect', id)
      : atLeastCheck('rectangular: mean final test accuracy', r.finals, LENET_THRESHOLD),
    ...quickPrecondition(input, 'lenet-rect'),
  ];
  return {
    statement: 'LeNet-5 with a logistic forward trains on MNIST with a rectangular(−0.5, 0.5) backward.',
    source: 'Table 4',
    rule: `pass when the mean final test accuracy ≥ ${percent(LENET_THRESHOLD)} % (the paper's bar), fail otherwise; precondition: the default or full tier.`,
    checks,
    verdict: verdictOf(checks),
  };
}

/** Largest drop from tied to the mean of the jamming rules that still counts as robust (5 points). */
export const ROBUST_DROP = 0.05;
/** Each forward's tied baseline must reach this accuracy for a drop under jamming to be measurable. */
export const BASELINE_TRAINED = 0.5;

function jammingClaim(input: ClaimInput): ClaimResult {
  const jamRules = JAM_RULES.map((r) => r.name);
  const checks: Check[] = [...quickPrecondition(input, 'jamming')];
  for (const dataset of JAMMING_DATASETS) {
    for (const forward of ROBUST_FORWARDS) {
      const tied = row(input, 'jamming', jammingConfigId(dataset, forward, 'tied'));
      const jams = jamRules.map((r) => row(input, 'jamming', jammingConfigId(dataset, forward, r)));
      if (tied === undefined || jams.some((j) => j === undefined)) {
        checks.push(missing(`${dataset} ${forward}`, 'jamming', jammingConfigId(dataset, forward, '*')));
        continue;
      }
      const jammed = mean(jams.map((j) => j!.final.mean));
      const drop = tied.final.mean - jammed;
      checks.push(
        {
          what: `${dataset}: tied ${forward} baseline trained`,
          status: tied.final.mean >= BASELINE_TRAINED ? 'pass' : 'unmet precondition',
          detail: `${percent(tied.final.mean)} % (needs ≥ ${percent(BASELINE_TRAINED)} %)`,
        },
        {
          what: `${dataset}: ${forward} robust to jamming`,
          status: passIf(drop <= ROBUST_DROP),
          detail: `tied ${percent(tied.final.mean)} %, jammed ${percent(jammed)} % (mean of ${jamRules.length} rules): drop ${points(drop)} points`,
        },
      );
    }
  }
  return {
    statement: 'ReLU and linear forwards are robust to jamming.',
    source: 'Tables 6–8',
    rule: `per dataset and forward (${ROBUST_FORWARDS.join(', ')}), drop = final accuracy of tied − mean final accuracy of ${jamRules.join('/')}; pass when drop ≤ ${percent(ROBUST_DROP)} points, fail otherwise; precondition: every tied baseline reaches ${percent(BASELINE_TRAINED)} % and the default or full tier. (The logistic forward is reported under Findings.)`,
    checks,
    verdict: verdictOf(checks),
  };
}

function heavisideClaim(input: ClaimInput): ClaimResult {
  const checks: Check[] = [];
  for (const d of BNN_SUC_DIMS) {
    for (const b of BNN_SUC_BATCHES) {
      const constantId = bnnSucConfigId(d, b, 'constant');
      const tiedId = bnnSucConfigId(d, b, 'tied');
      const constant = row(input, 'bnn-suc', constantId);
      const tied = row(input, 'bnn-suc', tiedId);
      checks.push(
        constant === undefined
          ? missing(`d=${d} b=${b} constant`, 'bnn-suc', constantId)
          : trainsCheck(`d=${d} b=${b}: constant trains`, constant.finals, constant.initials),
        tied === undefined
          ? missing(`d=${d} b=${b} tied`, 'bnn-suc', tiedId)
          : staysCheck(`d=${d} b=${b}: tied stays at its initial accuracy`, tied.finals, tied.initials),
      );
    }
  }
  return {
    statement:
      'A Heaviside unit trains with a constant backward and not with the tied (zero almost everywhere) one.',
    source: 'Tables 13–14',
    rule: `for every d and batch size: constant passes when training closes ≥ ${100 * TRAINS_GAP_SHARE} % of the gap from its epoch-0 mean accuracy to 100 %; tied passes when no seed moves more than ${percent(STAYS_TOLERANCE)} point from its epoch-0 accuracy; each fails otherwise.`,
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
      sucOnesConfigId,
      'A constant backward matches the tied derivative on the single-unit Ones task (SUC).',
      'Table 2',
      'constant',
    ),
    matchClaim(
      input,
      'mlp-digits',
      mlpDigitsConfigId,
      'A constant backward matches the tied derivative for the 64-64-10 MLP on DIGITS.',
      'Table 3',
      'constant',
    ),
    lenetClaim(input),
    jammingClaim(input),
    heavisideClaim(input),
  ];
}
