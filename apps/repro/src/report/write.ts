import { statSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors';
import { forMarkdown } from '../escape';
import { findExperiment } from '../experiments';
import { writeFileAtomic } from '../results/atomic';
import { experimentDir, reportPath } from '../results/layout';
import type { LoadedRun } from '../results/records';
import { loadResults, type ExcludedRun, type Results } from '../results/store';
import { FAILED_FILE, readSkipped } from '../results/skipped';
import type { Tier } from '../experiments/types';
import { TIERS } from '../experiments/types';
import { IMAGE_SOURCES } from '../run/data-sources';
import { activationSamples } from '../train/activation-samples';
import { BEYOND_EXPERIMENTS } from '../experiments/beyond';
import { evaluateBeyondClaims } from './beyond-claims';
import { evaluateClaims, VERDICT_RULE, type ClaimResult } from './claims';
import { environmentTable } from './environment';
import { markdownTable } from './format';
import { activationSpec, gridBarSpec, learningCurveSpec, probeSpec, renderSvg, type PlotSpec } from './plots';
import { inferenceSection } from './inference';
import { probeTable } from './probe';
import { tierNotes } from './tier-notes';
import { evaluateFindings, type Finding } from './findings';
import { summarize, summaryCsv, summaryTable, type SummaryRow } from './summary';

/** What `buildReport` wrote. */
export interface ReportOutcome {
  readonly experiments: readonly string[];
  readonly claims: readonly ClaimResult[];
  readonly files: readonly string[];
}

interface ExperimentSection {
  readonly name: string;
  readonly runs: readonly LoadedRun[];
  readonly rows: readonly SummaryRow[];
  /** The tier of its runs (the lowest one when they were planned from several). */
  readonly tier: Tier;
  readonly plots: readonly string[];
}

function sectionTier(runs: readonly LoadedRun[]): Tier {
  return TIERS[Math.min(...runs.map((r) => TIERS.indexOf(r.record.run.tier)))]!;
}

function hasGrid(rows: readonly SummaryRow[]): boolean {
  return new Set(rows.map((r) => r.forward)).size > 1 && new Set(rows.map((r) => r.rule)).size > 1;
}

function experimentHeader(section: ExperimentSection): string {
  const definition = findExperiment(section.name);
  const lines = [`## ${section.name}`, ''];
  if (definition === undefined) lines.push('User-defined experiment.');
  else {
    const table = definition.full.table;
    lines.push(`${table.charAt(0).toUpperCase()}${table.slice(1)}. ${definition.full.description}`);
    const note = section.tier === 'full' ? "the paper's settings" : definition[section.tier].note;
    lines.push('', `Tier: ${section.tier} (${note}).`);
    const notes = tierNotes(definition, section.tier, section.runs);
    if (notes.length > 0) lines.push('', notes.join(' '));
  }
  return lines.join('\n');
}

async function renderPlots(
  out: string,
  section: Omit<ExperimentSection, 'plots'>,
  files: Map<string, string>,
): Promise<string[]> {
  const dir = experimentDir(out, section.name);
  const plots: [string, PlotSpec][] = [
    ['curves.svg', learningCurveSpec(`${section.name}: learning curves`, section.runs)],
  ];
  if (hasGrid(section.rows))
    plots.push(['grid.svg', gridBarSpec(`${section.name}: final test accuracy`, section.rows)]);
  const pairs = new Map<string, LoadedRun['record']['run']['settings']>();
  for (const run of section.runs)
    pairs.set(
      `${run.record.run.settings.forward}/${run.record.run.settings.rule.name}`,
      run.record.run.settings,
    );
  const samples = [...pairs.values()].flatMap((s) => activationSamples(s.forward, s.rule));
  plots.push(['activations.svg', activationSpec(`${section.name}: forward φ and backward ψ`, samples)]);
  if (section.runs.some((r) => r.metrics.some((m) => m.probe !== undefined))) {
    plots.push(['probe.svg', probeSpec(`${section.name}: gradient direction vs tied`, section.runs)]);
  }
  for (const [file, spec] of plots) {
    files.set(join(dir, file.replace(/\.svg$/, '.vl.json')), `${JSON.stringify(spec, null, 2)}\n`);
    files.set(join(dir, file), await renderSvg(spec));
  }
  return plots.map(([file]) => file);
}

function findingsSection(findings: readonly Finding[]): string {
  return ['## Findings', '', ...findings.flatMap((f) => [`### ${f.title}`, '', f.text, ''])].join('\n');
}

/** The runs left out for want of data and still not trained, with how to supply the data; empty when none. */
function skippedSection(out: string, finished: readonly LoadedRun[]): string[] {
  const done = new Set(
    finished.map((r) => `${r.record.run.experiment}/${r.record.run.config}/${r.record.run.seed}`),
  );
  const skipped = readSkipped(out).filter((s) => !done.has(`${s.experiment}/${s.config}/${s.seed}`));
  if (skipped.length === 0) return [];
  const byReason = new Map<string, string[]>();
  for (const s of skipped)
    byReason.set(s.reason, [...(byReason.get(s.reason) ?? []), `${s.experiment}/${s.config} seed ${s.seed}`]);
  return [
    '## Skipped for missing data',
    '',
    ...[...byReason].flatMap(([reason, runs]) => [`Not run: ${runs.join(', ')}. Why: ${reason}.`, '']),
    `Claims that need these runs are inconclusive until they are trained. Ways to supply the data: ${Object.values(
      IMAGE_SOURCES,
    )
      .map((s) => `${s.spec.name}: ${s.supply}`)
      .join('; ')}.`,
    '',
  ];
}

/** The run directories that hold no finished run, with why; empty when none. */
function excludedSection(excluded: readonly ExcludedRun[]): string[] {
  if (excluded.length === 0) return [];
  return [
    '## Runs not included',
    '',
    'These run directories hold no finished run; their numbers are left out of every table and claim.',
    '',
    markdownTable(
      ['run directory', 'why'],
      excluded.map((e) => [e.dir, e.reason]),
    ),
    '',
  ];
}

/** The queued runs that failed (after their retries) and are still not trained, with why; empty when none. */
function failedSection(out: string, finished: readonly LoadedRun[]): string[] {
  const done = new Set(
    finished.map((r) => `${r.record.run.experiment}/${r.record.run.config}/${r.record.run.seed}`),
  );
  const failed = readSkipped(out, FAILED_FILE).filter(
    (s) => !done.has(`${s.experiment}/${s.config}/${s.seed}`),
  );
  if (failed.length === 0) return [];
  return [
    '## Failed runs',
    '',
    ...failed.map((f) => `- ${forMarkdown(`${f.experiment}/${f.config} seed ${f.seed}: ${f.reason}`)}`),
    '',
    'Claims that need these runs are inconclusive until they are trained; rerun the sweep to retry them.',
    '',
  ];
}

/** Throws a UsageError (one line) unless `out` is an existing directory. */
export function checkResultsDir(out: string): void {
  if (out === '') throw new UsageError('report: the directory is empty; expected a results directory');
  let isDirectory: boolean;
  try {
    isDirectory = statSync(out).isDirectory();
  } catch (error) {
    throw new UsageError(`report: cannot read ${out} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (!isDirectory) throw new UsageError(`report: ${out} is a file; expected a results directory`);
}

/**
 * The runs under `out`; a UsageError (one line) when `out` is not a directory or holds no finished run.
 */
function readResults(out: string): Results {
  checkResultsDir(out);
  const results = loadResults(out);
  if (results.byExperiment.size === 0) {
    const first = results.excluded[0];
    const why =
      first === undefined
        ? ''
        : ` (${results.excluded.length} run director${results.excluded.length === 1 ? 'y' : 'ies'} not usable, e.g. ${first.dir}: ${first.reason})`;
    throw new UsageError(
      `report: no finished runs under ${out}${why}; expected <dir>/<experiment>/<config>/seed-<s>/ written by \`fbt-repro run\``,
    );
  }
  return results;
}

function claimsSection(claims: readonly ClaimResult[], title = '## Claims'): string {
  const parts = [title, '', VERDICT_RULE, ''];
  parts.push(
    markdownTable(
      ['claim', 'source', 'verdict'],
      claims.map((c) => [c.statement, c.source, `**${c.verdict}**`]),
    ),
  );
  for (const c of claims) {
    parts.push('', `### ${c.statement}`, '', `Verdict: **${c.verdict}**. Rule: ${c.rule}`, '');
    parts.push(
      markdownTable(
        ['check', 'status', 'numbers'],
        c.checks.map((k) => [k.what, k.status, k.detail]),
      ),
    );
  }
  return parts.join('\n');
}

/** A report rendered but not written: its files by path (under the results directory), in writing order. */
export interface RenderedReport {
  readonly experiments: readonly string[];
  readonly claims: readonly ClaimResult[];
  /** Every file of the report, `REPORT.md` last. */
  readonly files: ReadonlyMap<string, string>;
  /** `REPORT.md` without its title and first paragraph: the claims, findings, experiments and environment. */
  readonly body: string;
}

/**
 * Renders every table, plot and the report from the saved metrics under `out` (nothing is trained or
 * written): per experiment `summary.csv`, `summary.md`, SVG plots with their Vega-Lite specs, and
 * `REPORT.md`. Run directories without a finished run are listed under "Runs not included". The
 * output is a pure function of the saved files.
 */
export async function renderReport(out: string): Promise<RenderedReport> {
  const { byExperiment: results, excluded } = readResults(out);
  const files = new Map<string, string>();
  const sections: ExperimentSection[] = [];
  const allRuns = [...results.values()].flat();
  for (const [name, runs] of results) {
    const rows = summarize(name, runs);
    const tier = sectionTier(runs);
    const dir = experimentDir(out, name);
    const table = summaryTable(rows);
    files.set(join(dir, 'summary.csv'), summaryCsv(rows));
    files.set(join(dir, 'summary.md'), `# ${name}\n\n${table}\n`);
    const plots = await renderPlots(out, { name, runs, rows, tier }, files);
    sections.push({ name, runs, rows, tier, plots });
  }
  const claimInput = {
    summaries: new Map(sections.map((s) => [s.name, s.rows])),
    tiers: new Map(sections.map((s) => [s.name, s.tier])),
  };
  // The paper's claims, unless only beyond experiments ran; the beyond claims when any of theirs did.
  const beyondNames = new Set(BEYOND_EXPERIMENTS.map((d) => d.full.name));
  const ranBeyond = sections.some((s) => beyondNames.has(s.name));
  const paperClaims =
    !ranBeyond || sections.some((s) => !beyondNames.has(s.name)) ? evaluateClaims(claimInput) : [];
  const beyondClaims = ranBeyond ? evaluateBeyondClaims(claimInput) : [];
  const claims = [...paperClaims, ...beyondClaims];
  const findings = evaluateFindings(new Map(sections.map((s) => [s.name, s.rows])));
  const body = [
    ...skippedSection(out, allRuns),
    ...failedSection(out, allRuns),
    ...excludedSection(excluded),
    ...(paperClaims.length === 0 ? [] : [claimsSection(paperClaims), '']),
    ...(beyondClaims.length === 0
      ? []
      : [claimsSection(beyondClaims, '## Beyond the paper: pre-registered claims'), '']),
    findingsSection(findings),
    '',
    ...sections.flatMap((s) => {
      const probe = probeTable(s.runs);
      const inference = inferenceSection(s.runs);
      return [
        experimentHeader(s),
        '',
        summaryTable(s.rows),
        '',
        ...(probe === null ? [] : ['Direction probe (last epoch, mean over seeds):', '', probe, '']),
        ...(inference === null ? [] : [inference, '']),
        ...s.plots.map((p) => `![${s.name} ${p}](${s.name}/${p})`),
        '',
      ];
    }),
    '## Environment',
    '',
    environmentTable(allRuns),
    '',
  ].join('\n');
  const report = [
    '# fbt reproduction report: arXiv 2509.07236',
    '',
    'Generated by `fbt-repro` from the saved metrics in this directory; `fbt-repro report <dir>` rebuilds it.',
    'Accuracies are test accuracies in %, mean ± sample standard deviation over seeds.',
    `Tiers: ${TIERS.map((t) => [t, sections.filter((s) => s.tier === t).map((s) => s.name)] as const)
      .filter(([, names]) => names.length > 0)
      .map(([t, names]) => `${t} (${names.join(', ')})`)
      .join(
        '; ',
      )}. The default and quick tiers scale the paper's protocols down as each experiment's section says; the full tier is the paper's settings.`,
    '',
    body,
  ].join('\n');
  files.set(reportPath(out), report);
  return { experiments: sections.map((s) => s.name), claims, files, body };
}

/**
 * Builds every table, plot and the report from the saved metrics under `out` (nothing is trained):
 * writes the files `renderReport` renders, each atomically. Rebuilding gives the same bytes.
 */
export async function buildReport(out: string): Promise<ReportOutcome> {
  const { experiments, claims, files } = await renderReport(out);
  for (const [path, content] of files) writeFileAtomic(path, content);
  return { experiments, claims, files: [...files.keys()].filter((path) => !path.endsWith('.vl.json')) };
}
