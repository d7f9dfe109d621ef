import { bnnMnist } from './bnn-mnist';
import { bnnSuc } from './bnn-suc';
import { directionProbe } from './direction-probe';
import { heavisideMlp } from './heaviside-mlp';
import { jamming } from './jamming';
import { lenetRect } from './lenet-rect';
import { mlpDigits } from './mlp-digits';
import { sucOnes } from './suc-ones';
import type { ExperimentDefinition } from './types';

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

/** The built-in experiment names. */
export function experimentNames(): string[] {
  return EXPERIMENTS.map((e) => e.full.name);
}

/** The built-in experiment called `name`, or undefined. */
export function findExperiment(name: string): ExperimentDefinition | undefined {
  return EXPERIMENTS.find((e) => e.full.name === name);
}
