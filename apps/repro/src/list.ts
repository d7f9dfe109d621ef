import { ruleTitle } from './experiments/build';
import { EXPERIMENTS } from './experiments';
import type { ExperimentSpec, ModelSpec } from './experiments/types';
import { datasetLabel } from './report/summary';

function modelLabel(m: ModelSpec): string {
  if (m.kind === 'mlp' || m.kind === 'binary-mlp') return `${m.kind} hidden ${m.hidden.join('-')}`;
  return m.kind;
}

function distinct(values: readonly string[]): string {
  return [...new Set(values)].join(', ');
}

/** Describes an experiment's settings in a few lines (the union over its configs where they differ). */
export function describeExperiment(e: ExperimentSpec): string[] {
  const s = e.configs.map((c) => c.settings);
  return [
    `  model: ${distinct(s.map((x) => modelLabel(x.model)))}; data: ${distinct(s.map((x) => datasetLabel(x.dataset)))}; loss: ${distinct(s.map((x) => x.loss))}`,
    `  forwards: ${distinct(s.map((x) => x.forward))}; rules: ${distinct(s.map((x) => ruleTitle(x.rule)))}`,
    `  SGD lr ${distinct(s.map((x) => String(x.optimizer.lr)))} momentum ${distinct(s.map((x) => String(x.optimizer.momentum)))}; batch ${distinct(s.map((x) => String(x.batchSize)))}; epochs ${distinct(s.map((x) => String(x.epochs)))}; seeds ${e.seeds.join(',')}; ${e.configs.length} configs`,
  ];
}

/** The text of `fbt-repro list`: every experiment with its table, paper settings and scaled tiers. */
export function listText(): string {
  const lines: string[] = [];
  for (const d of EXPERIMENTS) {
    lines.push(`${d.full.name} (${d.full.table}): ${d.full.description}`);
    lines.push(...describeExperiment(d.full));
    for (const tier of ['default', 'quick'] as const) {
      const { spec, note } = d[tier];
      lines.push(`  ${tier} tier: ${note}; seeds ${spec.seeds.join(',')}; ${spec.configs.length} configs`);
    }
    lines.push('');
  }
  lines.push(
    'Run one with `fbt-repro run <name>` (default tier), `--quick` or `--full` (paper settings); all with `fbt-repro run all`.',
  );
  return `${lines.join('\n')}\n`;
}
