import { ruleTitle } from '../experiments/build';
import { findExperiment } from '../experiments';
import type { DatasetSpec } from '../experiments/types';
import { divergedAt } from '../results/divergence';
import type { LoadedRun } from '../results/records';
import { csvField, csvNumber, fixedPm, markdownTable, percentPm } from './format';
import {
  bestAccuracy,
  epochsTo90,
  finalAccuracy,
  initialAccuracy,
  mean,
  secondsPerEpoch,
  std,
} from './stats';

/** One config's statistics over its seeds. */
export interface SummaryRow {
  readonly config: string;
  readonly dataset: string;
  readonly forward: string;
  readonly rule: string;
  readonly seeds: readonly number[];
  readonly finals: readonly number[];
  readonly initials: readonly number[];
  readonly final: { readonly mean: number; readonly std: number };
  readonly best: { readonly mean: number; readonly std: number };
  readonly epochsTo90: { readonly mean: number; readonly std: number };
  readonly secondsPerEpoch: { readonly mean: number; readonly std: number };
  /** The seeds whose run diverged (a NaN or infinite loss), with the first such epoch. */
  readonly diverged: readonly { readonly seed: number; readonly epoch: number }[];
}

/** E.g. `seeds 1, 2 diverged at epochs 2, 5`; empty when no seed diverged. */
export function divergenceNote(row: SummaryRow): string {
  const d = row.diverged;
  if (d.length === 0) return '';
  if (d.length === 1) return `seed ${d[0]!.seed} diverged at epoch ${d[0]!.epoch}`;
  return `seeds ${d.map((x) => x.seed).join(', ')} diverged at epochs ${d.map((x) => x.epoch).join(', ')}`;
}

function stat(values: readonly number[]): { mean: number; std: number } {
  return { mean: mean(values), std: std(values) };
}

/** Short label of a dataset spec, e.g. `ones d=8`, `mnist 3000/1000`. */
export function datasetLabel(d: DatasetSpec): string {
  if (d.name === 'ones') return `ones d=${d.d}`;
  if (d.name === 'digits') return 'digits';
  return d.trainSize === undefined && d.testSize === undefined
    ? d.name
    : `${d.name} ${d.trainSize ?? 'all'}/${d.testSize ?? 'all'}`;
}

/** Configs in the built-in experiment's order when it is one, else alphabetically. */
function configOrder(experiment: string, ids: readonly string[]): string[] {
  const definition = findExperiment(experiment);
  const known = definition?.full.configs.map((c) => c.id) ?? [];
  const rank = (id: string): number => (known.includes(id) ? known.indexOf(id) : known.length);
  return [...new Set(ids)].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/** Per-config statistics of an experiment's finished runs. */
export function summarize(experiment: string, runs: readonly LoadedRun[]): SummaryRow[] {
  return configOrder(
    experiment,
    runs.map((r) => r.record.run.config),
  ).map((config) => {
    const group = runs
      .filter((r) => r.record.run.config === config)
      .sort((a, b) => a.record.run.seed - b.record.run.seed);
    const settings = group[0]!.record.run.settings;
    return {
      config,
      dataset: datasetLabel(settings.dataset),
      forward: settings.forward,
      rule: ruleTitle(settings.rule),
      seeds: group.map((r) => r.record.run.seed),
      finals: group.map((r) => finalAccuracy(r.metrics)),
      initials: group.map((r) => initialAccuracy(r.metrics)),
      final: stat(group.map((r) => finalAccuracy(r.metrics))),
      best: stat(group.map((r) => bestAccuracy(r.metrics))),
      epochsTo90: stat(group.map((r) => epochsTo90(r.metrics))),
      secondsPerEpoch: stat(group.map((r) => secondsPerEpoch(r.metrics))),
      diverged: group.flatMap((r) => {
        const epoch = divergedAt(r.metrics);
        return epoch === null ? [] : [{ seed: r.record.run.seed, epoch }];
      }),
    };
  });
}

const CSV_HEADER = [
  'config',
  'dataset',
  'forward',
  'rule',
  'seeds',
  'final_test_acc_mean',
  'final_test_acc_std',
  'best_test_acc_mean',
  'best_test_acc_std',
  'epochs_to_90pct_mean',
  'epochs_to_90pct_std',
  'seconds_per_epoch_mean',
  'seconds_per_epoch_std',
  'diverged',
];

/** `summary.csv`: accuracies as fractions (4 decimals), epochs (2), seconds (3), then which seeds diverged. */
export function summaryCsv(rows: readonly SummaryRow[]): string {
  const lines = rows.map((r) =>
    [
      csvField(r.config),
      csvField(r.dataset),
      csvField(r.forward),
      csvField(r.rule),
      String(r.seeds.length),
      csvNumber(r.final.mean, 4),
      csvNumber(r.final.std, 4),
      csvNumber(r.best.mean, 4),
      csvNumber(r.best.std, 4),
      csvNumber(r.epochsTo90.mean, 2),
      csvNumber(r.epochsTo90.std, 2),
      csvNumber(r.secondsPerEpoch.mean, 3),
      csvNumber(r.secondsPerEpoch.std, 3),
      csvField(divergenceNote(r)),
    ].join(','),
  );
  return `${[CSV_HEADER.join(','), ...lines].join('\n')}\n`;
}

/**
 * The Markdown table of `summary.md` and REPORT.md (mean ± std over seeds; accuracies in %); the
 * final accuracy says which seeds diverged and when.
 */
export function summaryTable(rows: readonly SummaryRow[]): string {
  return markdownTable(
    [
      'config',
      'dataset',
      'forward',
      'backward rule',
      'seeds',
      'final test acc %',
      'best test acc %',
      'epochs to 90 % of final',
      's/epoch',
    ],
    rows.map((r) => [
      r.config,
      r.dataset,
      r.forward,
      r.rule,
      String(r.seeds.length),
      [percentPm(r.final.mean, r.final.std), divergenceNote(r)].filter((t) => t !== '').join(' — '),
      percentPm(r.best.mean, r.best.std),
      fixedPm(r.epochsTo90.mean, r.epochsTo90.std, 1),
      fixedPm(r.secondsPerEpoch.mean, r.secondsPerEpoch.std, 2),
    ]),
  );
}
