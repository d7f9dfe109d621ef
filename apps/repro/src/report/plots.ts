import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { LoadedRun } from '../results/records';
import { datasetLabel } from './summary';
import type { SummaryRow } from './summary';
import { mean } from './stats';

/** A Vega-Lite spec (the same JSON can go on the docs site). */
export type PlotSpec = TopLevelSpec;

/** One sampled point of a forward activation or a backward rule, for the activation plots. */
export interface ActivationSample {
  /** Panel title, e.g. `logistic / rectangular`. */
  readonly panel: string;
  /** `forward φ(z)` or `backward ψ(z)`. */
  readonly curve: string;
  readonly z: number;
  readonly value: number;
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Renders a Vega-Lite spec to an SVG string with vega's headless renderer (no browser, no canvas). */
export async function renderSvg(spec: PlotSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return `${await view.toSVG()}\n`;
  } finally {
    view.finalize();
  }
}

/**
 * Learning curves: mean test accuracy over seeds against the epoch, one line per config, one panel
 * per dataset when the experiment has several.
 */
export function learningCurveSpec(title: string, runs: readonly LoadedRun[]): PlotSpec {
  const points = new Map<string, { config: string; dataset: string; epoch: number; values: number[] }>();
  for (const run of runs) {
    const { config, settings } = run.record.run;
    for (const m of run.metrics) {
      const key = `${config}\u0000${m.epoch}`;
      const p = points.get(key) ?? {
        config,
        dataset: datasetLabel(settings.dataset),
        epoch: m.epoch,
        values: [],
      };
      p.values.push(m.testAccuracy);
      points.set(key, p);
    }
  }
  const values = [...points.values()].map((p) => ({
    config: p.config,
    dataset: p.dataset,
    epoch: p.epoch,
    accuracy: mean(p.values),
  }));
  const datasets = new Set(values.map((v) => v.dataset));
  const layer = {
    mark: { type: 'line' as const, point: values.length < 400 },
    encoding: {
      x: { field: 'epoch', type: 'quantitative' as const, title: 'epoch' },
      y: {
        field: 'accuracy',
        type: 'quantitative' as const,
        title: 'test accuracy (mean over seeds)',
        scale: { zero: false },
      },
      color: { field: 'config', type: 'nominal' as const, title: 'config' },
    },
  };
  if (datasets.size > 1) {
    return {
      $schema: SCHEMA,
      title,
      data: { values },
      facet: { field: 'dataset', type: 'nominal', title: 'dataset' },
      columns: 2,
      spec: { width: 300, height: 200, ...layer },
    };
  }
  return { $schema: SCHEMA, title, data: { values }, width: 420, height: 260, ...layer };
}

/** Bar chart of a forward × rule grid: final test accuracy per rule, panels by forward and dataset. */
export function gridBarSpec(title: string, rows: readonly SummaryRow[]): PlotSpec {
  const values = rows.map((r) => ({
    dataset: r.dataset,
    forward: r.forward,
    rule: r.rule,
    accuracy: r.final.mean,
  }));
  return {
    $schema: SCHEMA,
    title,
    data: { values },
    facet: {
      row: { field: 'dataset', type: 'nominal', title: 'dataset' },
      column: { field: 'forward', type: 'nominal', title: 'forward' },
    },
    spec: {
      width: 160,
      height: 160,
      mark: 'bar',
      encoding: {
        x: { field: 'rule', type: 'nominal', title: 'backward rule', sort: null },
        y: {
          field: 'accuracy',
          type: 'quantitative',
          title: 'final test accuracy',
          scale: { domain: [0, 1] },
        },
        color: { field: 'rule', type: 'nominal', legend: null, sort: null },
      },
    },
  };
}

/** The forward activations with their backward rules, one panel per (forward, rule) pair. */
export function activationSpec(title: string, samples: readonly ActivationSample[]): PlotSpec {
  return {
    $schema: SCHEMA,
    title,
    data: { values: [...samples] },
    facet: { field: 'panel', type: 'nominal', title: null, sort: null },
    columns: 4,
    spec: {
      width: 150,
      height: 120,
      mark: { type: 'line', point: { size: 8 } },
      encoding: {
        x: { field: 'z', type: 'quantitative', title: 'z' },
        y: { field: 'value', type: 'quantitative', title: null },
        color: { field: 'curve', type: 'nominal', title: null },
      },
    },
  };
}

/** Direction probe: mean cosine similarity to the tied gradient per layer against the epoch, one panel per config. */
export function probeSpec(title: string, runs: readonly LoadedRun[]): PlotSpec {
  const sums = new Map<string, { config: string; layer: string; epoch: number; values: number[] }>();
  for (const run of runs) {
    for (const m of run.metrics) {
      for (const p of m.probe ?? []) {
        const key = `${run.record.run.config}\u0000${p.layer}\u0000${m.epoch}`;
        const s = sums.get(key) ?? {
          config: run.record.run.config,
          layer: p.layer,
          epoch: m.epoch,
          values: [],
        };
        s.values.push(p.cosine);
        sums.set(key, s);
      }
    }
  }
  const values = [...sums.values()].map((s) => ({
    config: s.config,
    layer: s.layer,
    epoch: s.epoch,
    cosine: mean(s.values),
  }));
  return {
    $schema: SCHEMA,
    title,
    data: { values },
    facet: { field: 'config', type: 'nominal', title: null },
    columns: 3,
    spec: {
      width: 200,
      height: 140,
      mark: 'line',
      encoding: {
        x: { field: 'epoch', type: 'quantitative' },
        y: {
          field: 'cosine',
          type: 'quantitative',
          title: 'cosine to tied gradient',
          scale: { domain: [-1, 1] },
        },
        color: { field: 'layer', type: 'nominal' },
      },
    },
  };
}
