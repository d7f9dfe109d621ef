import { z } from 'zod';
import { LIMITS } from '../limits';
import { refineCrossFields } from './config-checks';
import { PATH_SEGMENT } from '../results/layout';
import { DATASET_NAMES, FORWARDS, LOSSES, MODEL_KINDS, OPTIMIZER_NAMES } from './types';

/*
 * The one schema of a user-defined experiment (`fbt-repro run --config FILE.json`): the config
 * types (types.ts), their validation (validate.ts) and the published JSON Schema
 * (config.schema.json) all derive from it. Every check's message is the "expected …" part of the
 * one-line error `file.json: "optimizer.lr" is -1; expected a positive number`.
 */

/** The message of every check of a schema. */
const says = (expected: string) => ({ error: expected });

function integer(min: number, max: number) {
  const range = says(`an integer from ${min} to ${max}`);
  return z.int(range).min(min, range).max(max, range);
}

/** A number in [0, 1]. */
function unitInterval() {
  const closed = says('a number from 0 to 1');
  return z.number(closed).min(0, closed).max(1, closed);
}

/** A number in (0, 1). */
function fraction() {
  const open = says('a number strictly between 0 and 1');
  return z.number(open).gt(0, open).lt(1, open);
}

function nonEmptyArray<T extends z.ZodType>(item: T, max: number) {
  const list = says(`a non-empty array of at most ${max} entries`);
  return z.array(item, list).min(1, list).max(max, list).readonly();
}

function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, says(`one of ${values.join(', ')}`));
}

/** An object whose unknown keys are refused (the message lists the known ones). */
function strict<S extends z.ZodRawShape>(shape: S) {
  const known = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? `one of ${known}` : 'an object'),
  });
}

/** A union told apart by `key`, refusing non-objects and unknown values of `key`. */
function tagged<K extends string, O extends readonly [z.ZodObject, ...z.ZodObject[]]>(
  key: K,
  values: readonly string[],
  options: O,
) {
  return z.discriminatedUnion(key, [...options] as unknown as O, {
    error: (issue) => (issue.code === 'invalid_union' ? `one of ${values.join(', ')}` : 'an object'),
  });
}

const positiveLr = z
  .number(says('a positive number'))
  .positive(says('a positive number'))
  .max(LIMITS.lr, says(`a positive number up to ${LIMITS.lr}`));

const hiddenWidths = nonEmptyArray(integer(1, LIMITS.width), LIMITS.layers);

/** A network architecture (see `ModelSpec`). */
export const modelSchema = tagged('kind', MODEL_KINDS, [
  strict({ kind: z.literal('unit') }),
  strict({ kind: z.literal('mlp'), hidden: hiddenWidths }),
  strict({ kind: z.literal('lenet5') }),
  strict({ kind: z.literal('binary-mlp'), hidden: hiddenWidths }),
  strict({
    kind: z.enum(['gru', 'lstm']),
    hidden: integer(1, LIMITS.recurrentWidth),
    layers: integer(1, LIMITS.recurrentLayers).default(1),
  }),
  strict({
    kind: z.literal('vit'),
    patch: z.union([z.literal(4), z.literal(7), z.literal(14)], says('4, 7 or 14 (a divisor of 28)')),
    width: integer(1, LIMITS.tokenWidth),
    depth: integer(1, LIMITS.layers),
    heads: integer(1, LIMITS.heads),
    mlpWidth: integer(1, LIMITS.tokenWidth),
  }),
  strict({
    kind: z.literal('spiking-mlp'),
    hidden: hiddenWidths,
    steps: integer(1, LIMITS.timeSteps),
    beta: unitInterval(),
  }),
  strict({
    kind: z.literal('spiking-cnn'),
    channels: integer(1, LIMITS.channels),
    steps: integer(1, LIMITS.timeSteps),
    beta: unitInterval(),
  }),
  strict({
    kind: z.literal('resnet'),
    width: integer(1, LIMITS.channels),
    blocks: integer(1, LIMITS.layers),
  }),
]).readonly();

/** A dataset (see `DatasetSpec`). */
export const datasetSchema = tagged('name', DATASET_NAMES, [
  strict({
    name: z.literal('ones'),
    d: integer(1, LIMITS.onesD),
    n: integer(2, LIMITS.onesN),
    tau: fraction(),
    testFraction: fraction(),
  }),
  strict({ name: z.literal('digits'), testFraction: fraction() }),
  strict({
    name: z.enum(['mnist', 'fashion-mnist']),
    trainSize: integer(1, LIMITS.imageTrain).optional(),
    testSize: integer(1, LIMITS.imageTest).optional(),
  }),
]).readonly();

/** A backward rule with its parameters (see `RuleSpec`); keys such as `__proto__` are refused. */
export const ruleSchema = strict({
  name: z.string(says('a non-empty string')).min(1, says('a non-empty string')),
  params: z
    .record(
      z.string().regex(/^[A-Za-z][A-Za-z0-9]*$/, says('parameter names of letters and digits')),
      z
        .number(says('a finite number'))
        .min(-LIMITS.ruleParam, says(`a number from -${LIMITS.ruleParam} to ${LIMITS.ruleParam}`))
        .max(LIMITS.ruleParam, says(`a number from -${LIMITS.ruleParam} to ${LIMITS.ruleParam}`)),
      says('an object of numbers'),
    )
    .readonly()
    .optional(),
}).readonly();

/** SGD with optional momentum, or Adam (see `OptimizerSpec`). */
export const optimizerSchema = tagged('name', OPTIMIZER_NAMES, [
  strict({
    name: z.literal('sgd'),
    lr: positiveLr,
    momentum: unitInterval().default(0),
  }),
  strict({ name: z.literal('adam'), lr: positiveLr }),
]).readonly();

/** An experiment's list of seeds: distinct integers below 2³². */
const seedsSchema = nonEmptyArray(integer(0, LIMITS.seed), LIMITS.seeds).refine(
  (seeds) => new Set(seeds).size === seeds.length,
  says('distinct seeds'),
);

/**
 * A user-defined experiment as written in its JSON file: a forward × rule grid of one setup, with the
 * cross-field checks of config-checks.ts (not expressible in JSON Schema).
 */
export const userConfigSchema = strict({
  name: z
    .string(says('a non-empty string'))
    .max(LIMITS.name, says(`a name of at most ${LIMITS.name} characters`))
    .regex(PATH_SEGMENT, says('letters, digits, ".", "_" or "-" (a directory name)')),
  description: z
    .string(says('a non-empty string'))
    .min(1, says('a non-empty string'))
    .max(LIMITS.description, says(`a string of at most ${LIMITS.description} characters`))
    .optional(),
  model: modelSchema,
  dataset: datasetSchema,
  loss: oneOf(LOSSES),
  optimizer: optimizerSchema,
  epochs: integer(1, LIMITS.epochs),
  batchSize: integer(1, LIMITS.batchSize),
  seeds: seedsSchema,
  forwards: nonEmptyArray(oneOf(FORWARDS), LIMITS.gridAxis),
  rules: nonEmptyArray(ruleSchema, LIMITS.gridAxis),
  probe: z.boolean(says('true or false')).optional(),
}).superRefine(refineCrossFields);
