import type { z } from 'zod';
import { UsageError } from '../errors';
import { LIMITS } from '../limits';
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

/** Keys that JavaScript objects treat specially; a parsed object drops or misreads them. */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The path of the first reserved key (`__proto__`, …) anywhere in a JSON value, or null. zod would
 * silently drop such a key where it copies a record (rule parameters); this refuses it instead.
 * Iterative, so a deeply nested value cannot overflow the stack.
 */
function reservedKeyPath(value: unknown): PropertyKey[] | null {
  const stack: { value: unknown; path: PropertyKey[] }[] = [{ value, path: [] }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    if (next.value === null || typeof next.value !== 'object') continue;
    const isArray = Array.isArray(next.value);
    for (const [key, child] of Object.entries(next.value)) {
      const path = [...next.path, isArray ? Number(key) : key];
      if (!isArray && RESERVED_KEYS.has(key)) return path;
      stack.push({ value: child, path });
    }
  }
  return null;
}

/**
 * The top-level key under which `value` nests deeper than `limit` levels (`(top level)` for an
 * array at the top), or null. Iterative and stopping at the limit, so a value nested 100 000 deep is
 * refused in time linear in its size, before the schema (whose checks cost far more per level).
 */
function tooDeep(value: unknown, limit: number): string | null {
  const stack: { value: unknown; depth: number; top: string }[] = [{ value, depth: 0, top: '(top level)' }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    if (next.value === null || typeof next.value !== 'object') continue;
    if (next.depth >= limit) return next.top;
    const atTop = next.depth === 0 && !Array.isArray(next.value);
    for (const [key, child] of Object.entries(next.value))
      stack.push({ value: child, depth: next.depth + 1, top: atTop ? key : next.top });
  }
  return null;
}

/** One zod issue as the one-line message of the CLI. */
function describeIssue(source: string, value: unknown, issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    const key = keyPath([...issue.path, issue.keys[0]!]);
    return `${source}: unknown key "${truncate(key)}"; expected ${issue.message}`;
  }
  // A bad key of a record (rule parameters): zod's path ends with the key.
  if (issue.code === 'invalid_key') {
    const key = issue.path[issue.path.length - 1];
    return `${source}: "${keyPath(issue.path.slice(0, -1))}" has key ${preview(key)}; expected ${issue.issues[0]?.message ?? issue.message}`;
  }
  const path = keyPath(issue.path);
  return `${source}: "${path === '' ? '(top level)' : path}" is ${preview(valueAt(value, issue.path))}; expected ${issue.message}`;
}

/** Id of a user experiment's config of a forward and a rule, e.g. `relu-rectangular_-1_1`. */
export function studyConfigId(forward: string, rule: RuleSpec): string {
  return `${forward}-${ruleLabel(rule)}`;
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
  const deep = tooDeep(value, LIMITS.jsonDepth);
  if (deep !== null)
    throw new UsageError(
      `${source}: "${truncate(deep)}" is nested more than ${LIMITS.jsonDepth} levels deep; expected a config of at most ${LIMITS.jsonDepth} levels`,
    );
  const reserved = reservedKeyPath(value);
  if (reserved !== null)
    throw new UsageError(
      `${source}: "${truncate(keyPath(reserved))}" uses a reserved key name; expected names of letters and digits`,
    );
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
      id: studyConfigId(forward, rule),
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
