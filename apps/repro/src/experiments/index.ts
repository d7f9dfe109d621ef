import { bnnMnist } from './bnn-mnist';
import { bnnSuc } from './bnn-suc';
import { directionProbe } from './direction-probe';
import { heavisideMlp } from './heaviside-mlp';
import { jamming } from './jamming';
import { lenetRect } from './lenet-rect';
import { mlpDigits } from './mlp-digits';
import { sucOnes } from './suc-ones';
import type { ExperimentDefinition } from './types';
import { BEYOND_EXPERIMENTS } from './beyond';

/** Every built-in experiment, in the order `run all` runs them (cheap ones first). */
export const EXPERIMENTS: readonly ExperimentDefinition[] = [
  sucOnes,
  mlpDigits,
  bnnSuc,
  lenetRect,
  jamming,
  heavisideMlp,
  bnnMnist,
  directionProbe,
];

/**
 * The groups a command line can name instead of experiments: `all` (the paper's experiments and the
 * first steps past it, what `pnpm repro` runs) and `beyond` (recurrent, attention, spiking and
 * residual networks, with their own pre-registered claims).
 */
export const EXPERIMENT_GROUPS: Readonly<Record<'all' | 'beyond', readonly ExperimentDefinition[]>> = {
  all: EXPERIMENTS,
  beyond: BEYOND_EXPERIMENTS,
};

/** Every built-in experiment, `all`'s then `beyond`'s. */
const EVERY_EXPERIMENT: readonly ExperimentDefinition[] = [...EXPERIMENTS, ...BEYOND_EXPERIMENTS];

/** The built-in experiment names. */
export function experimentNames(): string[] {
  return EVERY_EXPERIMENT.map((e) => e.full.name);
}

/** The built-in experiment called `name`, or undefined. */
export function findExperiment(name: string): ExperimentDefinition | undefined {
  return EVERY_EXPERIMENT.find((e) => e.full.name === name);
}
