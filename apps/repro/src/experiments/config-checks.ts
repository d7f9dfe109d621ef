import type { z } from 'zod';
import { LIMITS } from '../limits';
import type { DatasetSpec, LossName, ModelSpec } from './types';

/** Examples in the DIGITS data set (split by `testFraction`). */
const DIGITS_EXAMPLES = 1797;

/** A problem that involves several fields, reported at one of them. */
interface CrossFieldProblem {
  readonly path: readonly (string | number)[];
  readonly expected: string;
}

/** What the cross-field checks look at. */
export interface CheckedSetup {
  readonly model: ModelSpec;
  readonly dataset: DatasetSpec;
  readonly loss: LossName;
}

function inputWidth(dataset: DatasetSpec): number {
  return dataset.name === 'ones' ? dataset.d : dataset.name === 'digits' ? 64 : 28 * 28;
}

function lossProblem({ model, loss, dataset }: CheckedSetup): CrossFieldProblem | null {
  const oneOutput = model.kind === 'unit';
  if (oneOutput && loss === 'cross-entropy')
    return { path: ['loss'], expected: 'bce or mse for model "unit" (it has one output)' };
  if (!oneOutput && loss !== 'cross-entropy')
    return {
      path: ['loss'],
      expected: `cross-entropy for model "${model.kind}" (bce and mse need one output: model "unit")`,
    };
  if (oneOutput && dataset.name !== 'ones')
    return { path: ['dataset', 'name'], expected: 'ones for model "unit" (two classes, one output)' };
  if (model.kind === 'lenet5' && dataset.name !== 'mnist' && dataset.name !== 'fashion-mnist')
    return {
      path: ['dataset', 'name'],
      expected: 'mnist or fashion-mnist for model "lenet5" (1×28×28 inputs)',
    };
  return null;
}

function splitProblem(dataset: DatasetSpec): CrossFieldProblem | null {
  if (dataset.name !== 'ones' && dataset.name !== 'digits') return null;
  const n = dataset.name === 'ones' ? dataset.n : DIGITS_EXAMPLES;
  const test = Math.round(n * dataset.testFraction);
  if (test >= 1 && n - test >= 1) return null;
  return {
    path: ['dataset', 'testFraction'],
    expected: `a fraction that leaves both splits non-empty for ${n} examples (test set: ${test})`,
  };
}

/** A hidden layer's weight matrix: `[width, inputs]` at `model.hidden[index]`. */
export interface HiddenWeight {
  readonly index: number;
  readonly inputs: number;
  readonly width: number;
}

/** The weight matrices of an MLP's hidden layers (the ones a config can make large); none for other models. */
export function hiddenWeights({ model, dataset }: Omit<CheckedSetup, 'loss'>): HiddenWeight[] {
  if (model.kind !== 'mlp' && model.kind !== 'binary-mlp') return [];
  let inputs = inputWidth(dataset);
  return model.hidden.map((width, index) => {
    const weight = { index, inputs, width };
    inputs = width;
    return weight;
  });
}

function sizeProblem(setup: CheckedSetup): CrossFieldProblem | null {
  const { dataset } = setup;
  if (dataset.name === 'ones' && dataset.n * dataset.d > LIMITS.elements)
    return { path: ['dataset', 'n'], expected: `n × d up to 2^30 (${dataset.d} inputs per example)` };
  const large = hiddenWeights(setup).find((w) => w.inputs * w.width > LIMITS.elements);
  if (large === undefined) return null;
  return {
    path: ['model', 'hidden', large.index],
    expected: `a width whose weight matrix (${large.inputs} × width) has at most 2^30 elements`,
  };
}

/**
 * The checks that involve several fields of a config: the loss fits the model's outputs and the
 * data's classes, the model fits the inputs, both splits are non-empty and no tensor is too large to
 * allocate. Returns the first problem, or null.
 */
function crossFieldProblem(setup: CheckedSetup): CrossFieldProblem | null {
  return lossProblem(setup) ?? splitProblem(setup.dataset) ?? sizeProblem(setup);
}

/**
 * The cross-field checks (`crossFieldProblem`) as a zod refinement of a config: the first problem
 * becomes an issue at its path.
 */
export function refineCrossFields(setup: CheckedSetup, ctx: z.RefinementCtx): void {
  const problem = crossFieldProblem(setup);
  if (problem !== null) ctx.addIssue({ code: 'custom', path: [...problem.path], message: problem.expected });
}
