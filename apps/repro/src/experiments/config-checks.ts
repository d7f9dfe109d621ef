import type { z } from 'zod';
import { LIMITS } from '../limits';
import type { DatasetSpec, ForwardName, LossName, ModelSpec } from './types';

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
  readonly forwards: readonly ForwardName[];
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
  if (IMAGE_MODELS.has(model.kind) && dataset.name !== 'mnist' && dataset.name !== 'fashion-mnist')
    return {
      path: ['dataset', 'name'],
      expected: `mnist or fashion-mnist for model "${model.kind}" (1×28×28 inputs)`,
    };
  if (model.kind === 'spiking-mlp' && dataset.name === 'ones')
    return {
      path: ['dataset', 'name'],
      expected: 'digits, mnist or fashion-mnist for model "spiking-mlp" (inputs in [0, 1] to rate-code)',
    };
  return null;
}

/** Models that read 1×28×28 images. */
const IMAGE_MODELS: ReadonlySet<ModelSpec['kind']> = new Set([
  'lenet5',
  'gru',
  'lstm',
  'vit',
  'spiking-cnn',
  'resnet',
]);

/**
 * The forward a model kind fixes: a recurrent network's rule acts on its logistic gates and tanh
 * candidate (named by the candidate's `tanh`), a spiking network's on its Heaviside spike.
 */
const FIXED_FORWARD: Partial<Record<ModelSpec['kind'], ForwardName>> = {
  gru: 'tanh',
  lstm: 'tanh',
  'spiking-mlp': 'heaviside',
  'spiking-cnn': 'heaviside',
};

function architectureProblem({ model, forwards }: CheckedSetup): CrossFieldProblem | null {
  const fixed = FIXED_FORWARD[model.kind];
  const other = forwards.findIndex((f) => f !== fixed);
  if (fixed !== undefined && other >= 0)
    return {
      path: ['forwards', other],
      expected: `${fixed} for model "${model.kind}" (${fixed === 'tanh' ? 'its gates are logistic and its candidate tanh; the rule acts on all of them' : 'its spike is a Heaviside step'})`,
    };
  if (model.kind === 'vit' && model.width % model.heads !== 0)
    return { path: ['model', 'heads'], expected: `a divisor of the width ${model.width}` };
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

/** The weight matrices of an MLP's (or a spiking MLP's) hidden layers (the ones a config can make large); none for other models. */
export function hiddenWeights({ model, dataset }: Pick<CheckedSetup, 'model' | 'dataset'>): HiddenWeight[] {
  if (model.kind !== 'mlp' && model.kind !== 'binary-mlp' && model.kind !== 'spiking-mlp') return [];
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
  return (
    lossProblem(setup) ?? architectureProblem(setup) ?? splitProblem(setup.dataset) ?? sizeProblem(setup)
  );
}

/**
 * The cross-field checks (`crossFieldProblem`) as a zod refinement of a config: the first problem
 * becomes an issue at its path.
 */
export function refineCrossFields(setup: CheckedSetup, ctx: z.RefinementCtx): void {
  const problem = crossFieldProblem(setup);
  if (problem !== null) ctx.addIssue({ code: 'custom', path: [...problem.path], message: problem.expected });
}
