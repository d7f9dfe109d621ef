import { UsageError } from '../errors';
import {
  DATASET_NAMES,
  FORWARDS,
  LOSSES,
  type ConfigSpec,
  type DatasetSpec,
  type ExperimentSpec,
  type ForwardName,
  type LossName,
  type ModelSpec,
  type RuleSpec,
} from './types';
import { ruleLabel } from './build';

/** Checks a rule spec; returns an error message (naming what is valid) or null when the rule is fine. */
export type RuleChecker = (rule: RuleSpec) => string | null;

type Json = unknown;

class Validator {
  constructor(readonly source: string) {}

  fail(path: string, got: Json, expected: string): never {
    const shown = got === undefined ? 'missing' : JSON.stringify(got);
    throw new UsageError(`${this.source}: "${path}" is ${shown}; expected ${expected}`);
  }

  object(value: Json, path: string): Record<string, Json> {
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      this.fail(path, value, 'an object');
    return value as Record<string, Json>;
  }

  noExtraKeys(value: Record<string, Json>, path: string, allowed: readonly string[]): void {
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) {
        throw new UsageError(
          `${this.source}: unknown key "${path ? `${path}.` : ''}${key}"; expected one of ${allowed.join(', ')}`,
        );
      }
    }
  }

  string(value: Json, path: string): string {
    if (typeof value !== 'string' || value.length === 0) this.fail(path, value, 'a non-empty string');
    return value;
  }

  name(value: Json, path: string): string {
    const s = this.string(value, path);
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(s))
      this.fail(path, value, 'letters, digits, ".", "_" or "-" (a directory name)');
    return s;
  }

  oneOf<T extends string>(value: Json, path: string, options: readonly T[]): T {
    if (typeof value !== 'string' || !options.includes(value as T))
      this.fail(path, value, `one of ${options.join(', ')}`);
    return value as T;
  }

  number(value: Json, path: string, kind: 'positive' | 'non-negative' | 'fraction' | 'any'): number {
    const ok =
      typeof value === 'number' &&
      Number.isFinite(value) &&
      (kind === 'any' ||
        (kind === 'positive' && value > 0) ||
        (kind === 'non-negative' && value >= 0) ||
        (kind === 'fraction' && value > 0 && value < 1));
    const expected = {
      positive: 'a positive number',
      'non-negative': 'a non-negative number',
      fraction: 'a number strictly between 0 and 1',
      any: 'a finite number',
    }[kind];
    if (!ok) this.fail(path, value, expected);
    return value as number;
  }

  integer(value: Json, path: string, min: number): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
      this.fail(path, value, `an integer >= ${min}`);
    }
    return value;
  }

  array(value: Json, path: string): Json[] {
    if (!Array.isArray(value) || value.length === 0) this.fail(path, value, 'a non-empty array');
    return value;
  }
}

function validateModel(v: Validator, value: Json): ModelSpec {
  const m = v.object(value, 'model');
  const kind = v.oneOf(m.kind, 'model.kind', ['unit', 'mlp', 'lenet5', 'binary-mlp'] as const);
  if (kind === 'unit' || kind === 'lenet5') {
    v.noExtraKeys(m, 'model', ['kind']);
    return { kind };
  }
  v.noExtraKeys(m, 'model', ['kind', 'hidden']);
  const hidden = v.array(m.hidden, 'model.hidden').map((h, i) => v.integer(h, `model.hidden[${i}]`, 1));
  return { kind, hidden };
}

function validateDataset(v: Validator, value: Json): DatasetSpec {
  const d = v.object(value, 'dataset');
  const name = v.oneOf(d.name, 'dataset.name', DATASET_NAMES);
  if (name === 'ones') {
    v.noExtraKeys(d, 'dataset', ['name', 'd', 'n', 'tau', 'testFraction']);
    return {
      name,
      d: v.integer(d.d, 'dataset.d', 1),
      n: v.integer(d.n, 'dataset.n', 2),
      tau: v.number(d.tau, 'dataset.tau', 'fraction'),
      testFraction: v.number(d.testFraction, 'dataset.testFraction', 'fraction'),
    };
  }
  if (name === 'digits') {
    v.noExtraKeys(d, 'dataset', ['name', 'testFraction']);
    return { name, testFraction: v.number(d.testFraction, 'dataset.testFraction', 'fraction') };
  }
  v.noExtraKeys(d, 'dataset', ['name', 'trainSize', 'testSize']);
  return {
    name,
    ...(d.trainSize === undefined ? {} : { trainSize: v.integer(d.trainSize, 'dataset.trainSize', 1) }),
    ...(d.testSize === undefined ? {} : { testSize: v.integer(d.testSize, 'dataset.testSize', 1) }),
  };
}

function validateRule(v: Validator, value: Json, path: string, checkRule: RuleChecker): RuleSpec {
  const r = v.object(value, path);
  v.noExtraKeys(r, path, ['name', 'params']);
  const name = v.string(r.name, `${path}.name`);
  let spec: RuleSpec = { name };
  if (r.params !== undefined) {
    const p = v.object(r.params, `${path}.params`);
    const params: Record<string, number> = {};
    for (const [key, val] of Object.entries(p)) params[key] = v.number(val, `${path}.params.${key}`, 'any');
    spec = { name, params };
  }
  const problem = checkRule(spec);
  if (problem !== null) throw new UsageError(`${v.source}: "${path}": ${problem}`);
  return spec;
}

const CONFIG_KEYS = [
  'name',
  'description',
  'model',
  'dataset',
  'loss',
  'optimizer',
  'epochs',
  'batchSize',
  'seeds',
  'forwards',
  'rules',
  'probe',
] as const;

/**
 * Validates a user-defined experiment (`fbt-repro run --config FILE.json`) and expands its
 * forward × rule grid into configs `<forward>-<rule>`. Every problem is a UsageError naming the key,
 * the value found and what is expected.
 */
export function validateUserExperiment(value: Json, source: string, checkRule: RuleChecker): ExperimentSpec {
  const v = new Validator(source);
  const c = v.object(value, '(top level)');
  v.noExtraKeys(c, '', CONFIG_KEYS);
  const name = v.name(c.name, 'name');
  const description =
    c.description === undefined ? `user experiment from ${source}` : v.string(c.description, 'description');
  const model = validateModel(v, c.model);
  const dataset = validateDataset(v, c.dataset);
  const loss: LossName = v.oneOf(c.loss, 'loss', LOSSES);
  const o = v.object(c.optimizer, 'optimizer');
  v.noExtraKeys(o, 'optimizer', ['name', 'lr', 'momentum']);
  const optimizer = {
    name: v.oneOf(o.name, 'optimizer.name', ['sgd'] as const),
    lr: v.number(o.lr, 'optimizer.lr', 'positive'),
    momentum: o.momentum === undefined ? 0 : v.number(o.momentum, 'optimizer.momentum', 'non-negative'),
  };
  const epochs = v.integer(c.epochs, 'epochs', 1);
  const batchSize = v.integer(c.batchSize, 'batchSize', 1);
  const seeds = v.array(c.seeds, 'seeds').map((s, i) => v.integer(s, `seeds[${i}]`, 0));
  const forwards: ForwardName[] = v
    .array(c.forwards, 'forwards')
    .map((f, i) => v.oneOf(f, `forwards[${i}]`, FORWARDS));
  const rules = v.array(c.rules, 'rules').map((r, i) => validateRule(v, r, `rules[${i}]`, checkRule));
  if (c.probe !== undefined && typeof c.probe !== 'boolean') v.fail('probe', c.probe, 'true or false');
  const probe = c.probe === true;
  if (model.kind === 'lenet5' && dataset.name !== 'mnist' && dataset.name !== 'fashion-mnist') {
    v.fail('dataset.name', dataset.name, 'mnist or fashion-mnist for model "lenet5" (1×28×28 inputs)');
  }
  const configs: ConfigSpec[] = forwards.flatMap((forward) =>
    rules.map((r) => ({
      id: `${forward}-${ruleLabel(r)}`,
      settings: { model, dataset, loss, optimizer, forward, rule: r, epochs, batchSize, probe },
    })),
  );
  const ids = configs.map((cfg) => cfg.id);
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate !== undefined)
    throw new UsageError(
      `${source}: the grid lists config "${duplicate}" twice; expected distinct forwards and rules`,
    );
  if (new Set(seeds).size !== seeds.length) v.fail('seeds', c.seeds, 'distinct seeds');
  return { name, table: 'user-defined', description, seeds, configs };
}
