import type { z } from 'zod';
import { UsageError } from '../errors';
import { preview, truncate } from '../preview';
import { ruleLabel } from './build';
import { userConfigSchema } from './schema';
import type { ConfigSpec, ExperimentSpec, RuleSpec } from './types';

/** Checks a rule spec; returns an error message (naming what is valid) or null when the rule is fine. */
export type RuleChecker = (rule: RuleSpec) => string | null;

/** A key path as the messages write it: `rules[0].params.a`. */
function keyPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`))
    .join('');
}

/** The value at `path` inside `value` (undefined when a step is missing). */
function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let here = value;
  for (const key of path) {
    if (here === null || typeof here !== 'object' || !Object.hasOwn(here, key)) return undefined;
    here = (here as Record<PropertyKey, unknown>)[key];
  }
  return here;
}

/** One zod issue as the one-line message of the CLI. */
function describeIssue(source: string, value: unknown, issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    const key = keyPath([...issue.path, issue.keys[0]!]);
    return `${source}: unknown key "${truncate(key)}"; expected ${issue.message}`;
  }
  // A bad key of a record (rule parameters): show the key itself.
  if (issue.code === 'invalid_key') {
    const bad = issue.issues[0];
    return `${source}: "${keyPath(issue.path)}" has key ${preview(issue.input)}; expected ${bad?.message ?? issue.message}`;
  }
  const path = keyPath(issue.path);
  return `${source}: "${path === '' ? '(top level)' : path}" is ${preview(valueAt(value, issue.path))}; expected ${issue.message}`;
}

/**
 * Validates a user-defined experiment (`fbt-repro run --config FILE.json`) against the config
 * schema and expands its forward × rule grid into configs `<forward>-<rule>`. Every problem is a
 * one-line UsageError `file.json: "optimizer.lr" is -1; expected a positive number` naming the key
 * path, the value found (cut to 60 characters) and what is expected; unknown keys come first.
 */
export function validateUserExperiment(
  value: unknown,
  source: string,
  checkRule: RuleChecker,
): ExperimentSpec {
  const parsed = userConfigSchema.safeParse(value);
  if (!parsed.success) {
    const issues = [...parsed.error.issues].sort(
      (a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'),
    );
    throw new UsageError(describeIssue(source, value, issues[0]!));
  }
  const c = parsed.data;
  for (const [i, rule] of c.rules.entries()) {
    const problem = checkRule(rule);
    if (problem !== null) throw new UsageError(`${source}: "rules[${i}]": ${problem}`);
  }
  const { model, dataset, loss, optimizer, epochs, batchSize } = c;
  const probe = c.probe === true;
  const configs: ConfigSpec[] = c.forwards.flatMap((forward) =>
    c.rules.map((rule) => ({
      id: `${forward}-${ruleLabel(rule)}`,
      settings: { model, dataset, loss, optimizer, forward, rule, epochs, batchSize, probe },
    })),
  );
  const ids = configs.map((cfg) => cfg.id);
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate !== undefined)
    throw new UsageError(
      `${source}: the grid lists config "${duplicate}" twice; expected distinct forwards and rules`,
    );
  return {
    name: c.name,
    table: 'user-defined',
    description: c.description ?? `user experiment from ${source}`,
    seeds: c.seeds,
    configs,
  };
}
