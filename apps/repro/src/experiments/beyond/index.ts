import type { ExperimentDefinition } from '../types';
import { resnetFashion } from './resnet-fashion';
import { rnnFashion } from './rnn-fashion';
import { snnMnist } from './snn-mnist';
import { vitFashion } from './vit-fashion';

/**
 * The experiments of `fbt-repro run beyond`: Proposition 2 of the paper tested on recurrent,
 * attention, spiking and residual networks, each with claims registered before it ran
 * (report/beyond-claims.ts).
 */
export const BEYOND_EXPERIMENTS: readonly ExperimentDefinition[] = [
  snnMnist,
  rnnFashion,
  vitFashion,
  resnetFashion,
];
