import { ruleTitle } from './experiments/build';
import { EXPERIMENT_GROUPS } from './experiments';
import type { ExperimentDefinition, ExperimentSpec, ModelSpec, OptimizerSpec } from './experiments/types';
import { datasetLabel } from './report/summary';

function modelLabel(m: ModelSpec): string {
  switch (m.kind) {
    case 'mlp':
    case 'binary-mlp':
      return `${m.kind} hidden ${m.hidden.join('-')}`;
    case 'gru':
    case 'lstm':
      return `${m.kind} hidden ${m.hidden} × ${m.layers} layer${m.layers === 1 ? '' : 's'}`;
    case 'vit':
      return `vit ${m.patch}×${m.patch} patches, width ${m.width}, depth ${m.depth}, ${m.heads} heads, MLP ${m.mlpWidth}`;
    case 'spiking-mlp':
      return `spiking-mlp hidden ${m.hidden.join('-')}, T = ${m.steps}, β = ${m.beta}`;
    case 'spiking-cnn':
      return `spiking-cnn channels ${m.channels}-${2 * m.channels}, T = ${m.steps}, β = ${m.beta}`;
    case 'resnet':
      return `resnet width ${m.width}, ${m.blocks} block${m.blocks === 1 ? '' : 's'} per stage`;
    default:
      return m.kind;
  }
}

function optimizerLabel(o: OptimizerSpec): string {
  return o.name === 'sgd' ? `SGD lr ${o.lr} momentum ${o.momentum}` : `Adam lr ${o.lr}`;
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
    `  ${distinct(s.map((x) => optimizerLabel(x.optimizer)))}; batch ${distinct(s.map((x) => String(x.batchSize)))}; epochs ${distinct(s.map((x) => String(x.epochs)))}; seeds ${e.seeds.join(',')}; ${e.configs.length} configs`,
  ];
}

/** The text of `fbt-repro list`: every experiment with its table, paper settings and scaled tiers. */
export function listText(): string {
  const lines: string[] = [];
  for (const [group, definitions] of Object.entries(EXPERIMENT_GROUPS)) {
    lines.push(`== group ${group} (fbt-repro run ${group})`, '');
    lines.push(...definitions.flatMap(describeDefinition));
  }
  lines.push(
    'Run one with `fbt-repro run <name>` (default tier), `--quick` or `--full` (paper settings); a group with `fbt-repro run all` or `fbt-repro run beyond`.',
  );
  return `${lines.join('\n')}\n`;
}

/** The lines of `list` for one experiment: its description, settings and scaled tiers. */
function describeDefinition(d: ExperimentDefinition): string[] {
  return [
    `${d.full.name} (${d.full.table}): ${d.full.description}`,
    ...describeExperiment(d.full),
    ...(['default', 'quick'] as const).map((tier) => {
      const { spec, note } = d[tier];
      return `  ${tier} tier: ${note}; seeds ${spec.seeds.join(',')}; ${spec.configs.length} configs`;
    }),
    '',
  ];
}
