import { JAM_RULES, JAMMING_DATASETS, jammingConfigId } from '../experiments/jamming';
import { BASELINE_TRAINED } from './claims';
import { percent } from './format';
import { mean } from './stats';
import type { SummaryRow } from './summary';

/** A measured observation that the paper's protocol cannot turn into a claim verdict, with its evidence. */
export interface Finding {
  readonly title: string;
  readonly text: string;
}

/** What the logistic forward's jamming runs settle, per dataset (the numbers are means over seeds). */
function logisticSentence(dataset: string, rows: readonly SummaryRow[]): string | null {
  const find = (rule: string): SummaryRow | undefined =>
    rows.find((r) => r.config === jammingConfigId(dataset, 'logistic', rule));
  const tied = find('tied');
  if (tied === undefined) return null;
  const jams = JAM_RULES.map((r) => ({ name: r.name, row: find(r.name) }));
  const measured = jams.filter((j): j is { name: string; row: SummaryRow } => j.row !== undefined);
  const list = measured.map((j) => `${j.name} ${percent(j.row.final.mean)} %`).join(', ');
  if (tied.final.mean >= BASELINE_TRAINED) {
    const jammed = mean(measured.map((j) => j.row.final.mean));
    return `On ${dataset}, tied reaches ${percent(tied.final.mean)} % and the jamming rules ${percent(jammed)} % on average (${list}): a drop of ${(100 * (tied.final.mean - jammed)).toFixed(2)} points.`;
  }
  const escaped = measured.filter((j) => j.row.final.mean >= BASELINE_TRAINED);
  return `On ${dataset}, the logistic LeNet-5 does not leave its initial plateau under tied backprop (${percent(mean(tied.initials))} % at epoch 0, ${percent(tied.final.mean)} % at the end), so its sensitivity to jamming cannot be measured by this protocol; ${
    escaped.length === 0
      ? `no jamming rule escapes the plateau either (${list})`
      : `${escaped.map((j) => `${j.name} escapes it (${percent(j.row.final.mean)} %)`).join(', ')}; the others do not (${list})`
  }.`;
}

/**
 * The findings section: today, the logistic forward under jamming (the paper says it is more sensitive
 * than relu and linear; at the paper's lr 0.01 without momentum it does not train even with the tied
 * derivative, so the comparison has no baseline).
 */
export function evaluateFindings(summaries: ReadonlyMap<string, readonly SummaryRow[]>): Finding[] {
  const rows = summaries.get('jamming') ?? [];
  const sentences = JAMMING_DATASETS.map((d) => logisticSentence(d, rows)).filter(
    (s): s is string => s !== null,
  );
  const text =
    sentences.length > 0
      ? sentences.join(' ')
      : 'Not measured here: these results have no logistic jamming runs (the default tier runs the relu and linear forwards; `fbt-repro run jamming --full` runs the logistic forward at the paper settings).';
  return [{ title: 'The logistic forward under jamming (Tables 6–8)', text }];
}
