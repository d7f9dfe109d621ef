import { formatRange, resolveParams } from '@fbt/surrogates';
import {
  DATASETS,
  DEFAULTS,
  FORWARD_NAMES,
  LIMITS,
  OPTIMIZERS,
  RULE_NAMES,
  defaultParams,
  entryOf,
  type Settings,
} from './settings';

/** Prefixes of the URL keys of the forward's and the rule's parameters (`f.alpha`, `r.a`). */
const PARAM_PREFIX = { forward: 'f.', rule: 'r.' } as const;
const KEYS = ['data', 'hidden', 'forward', 'rule', 'opt', 'lr', 'seed', 'steps'] as const;

/** The settings as a query string (`data=two-moons&hidden=16,4&…&r.a=-0.5`), every control included. */
export function encodeSettings(s: Settings): string {
  const query = new URLSearchParams({
    data: s.data,
    hidden: s.hidden.join(','),
    forward: s.forward,
    rule: s.rule,
    opt: s.optimizer,
    lr: String(s.lr),
    seed: String(s.seed),
    steps: String(s.steps),
  });
  for (const [name, value] of Object.entries(s.forwardParams))
    query.set(`${PARAM_PREFIX.forward}${name}`, String(value));
  for (const [name, value] of Object.entries(s.ruleParams))
    query.set(`${PARAM_PREFIX.rule}${name}`, String(value));
  return query.toString().replace(/%2C/g, ',');
}

/** What `decodeSettings` made of a query string: the settings, and why each refused value was refused. */
export interface Decoded {
  /** The settings: each valid value of the query, the defaults elsewhere. */
  readonly settings: Settings;
  /** One message per refused URL parameter, naming it and the expected form. */
  readonly errors: readonly string[];
}

/** A finite decimal number, as the URL writes one (no empty string, no `Infinity`, no hex). */
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

function parseNumber(text: string): number | undefined {
  return NUMBER.test(text) ? Number(text) : undefined;
}

function choice<T extends string>(text: string, allowed: readonly T[]): T | undefined {
  return (allowed as readonly string[]).includes(text) ? (text as T) : undefined;
}

function inLimits(text: string, limits: { min: number; max: number }, integer: boolean): number | undefined {
  const value = parseNumber(text);
  if (value === undefined || value < limits.min || value > limits.max) return undefined;
  return integer && !Number.isInteger(value) ? undefined : value;
}

function widths(text: string): number[] | undefined {
  const parts = text.split(',');
  if (parts.length < LIMITS.layers.min || parts.length > LIMITS.layers.max) return undefined;
  const values = parts.map((p) => (/^\d+$/.test(p) ? inLimits(p, LIMITS.width, true) : undefined));
  return values.every((v) => v !== undefined) ? (values as number[]) : undefined;
}

const EXPECTED: Record<(typeof KEYS)[number], string> = {
  data: `one of ${DATASETS.join(', ')}`,
  hidden: `${LIMITS.layers.min} to ${LIMITS.layers.max} widths in [${LIMITS.width.min}, ${LIMITS.width.max}] separated by commas, e.g. 16,4`,
  forward: `a forward activation: ${FORWARD_NAMES.join(', ')}`,
  rule: `a backward rule: ${RULE_NAMES.join(', ')}`,
  opt: `one of ${OPTIMIZERS.join(', ')}`,
  lr: `a number in [${LIMITS.lr.min}, ${LIMITS.lr.max}]`,
  seed: `an integer in [${LIMITS.seed.min}, ${LIMITS.seed.max}]`,
  steps: `an integer in [${LIMITS.steps.min}, ${LIMITS.steps.max}]`,
};

/**
 * The parameters of the forward or the rule from the query's `f.*` or `r.*` keys: each must be one the
 * entry declares, a number in its range, and together they must meet the entry's constraints (e.g.
 * `a < b`). A refused value leaves the default, with a message in `errors`.
 */
function decodeParams(
  query: URLSearchParams,
  kind: 'forward' | 'rule',
  name: string,
  errors: string[],
): Record<string, number> {
  const entry = entryOf(kind, name)!;
  const prefix = PARAM_PREFIX[kind];
  const params = defaultParams(entry);
  for (const [key, text] of query) {
    if (!key.startsWith(prefix)) continue;
    const spec = entry.params.find((p) => `${prefix}${p.name}` === key);
    if (spec === undefined) {
      const declared = entry.params.map((p) => `${prefix}${p.name}`).join(', ') || 'none';
      errors.push(`${key}: ${kind} '${name}' has no such parameter; its parameters: ${declared}`);
      continue;
    }
    const value = parseNumber(text);
    try {
      if (value === undefined) throw new Error('not a number');
      // This parameter's range alone; the constraints between parameters are checked below.
      resolveParams({ name: entry.name, params: [spec] }, { [spec.name]: value });
      params[spec.name] = value;
    } catch {
      errors.push(`${key}=${text}: expected a number in ${formatRange(spec)}`);
    }
  }
  try {
    resolveParams(entry, params);
  } catch (error) {
    errors.push(`${prefix}*: ${(error as Error).message}; using the defaults`);
    return defaultParams(entry);
  }
  return params;
}

/**
 * Settings from a query string (`location.search`): the inverse of `encodeSettings`. Every value is
 * checked; an invalid one is not used (the default stays) and gets a message naming the URL parameter
 * and the form it expects. Unknown keys are refused the same way.
 */
export function decodeSettings(search: string): Decoded {
  const query = new URLSearchParams(search);
  const errors: string[] = [];
  const read = <T>(key: (typeof KEYS)[number], parse: (text: string) => T | undefined, fallback: T): T => {
    const text = query.get(key);
    if (text === null) return fallback;
    const value = parse(text);
    if (value !== undefined) return value;
    errors.push(`${key}=${text}: expected ${EXPECTED[key]}`);
    return fallback;
  };
  for (const key of new Set(query.keys())) {
    const known = (KEYS as readonly string[]).includes(key) || key.startsWith('f.') || key.startsWith('r.');
    if (!known) errors.push(`${key}: unknown; expected ${[...KEYS, 'f.*', 'r.*'].join(', ')}`);
  }
  const forward = read('forward', (t) => choice(t, FORWARD_NAMES), DEFAULTS.forward);
  const rule = read('rule', (t) => choice(t, RULE_NAMES), DEFAULTS.rule);
  const settings: Settings = {
    data: read('data', (t) => choice(t, DATASETS), DEFAULTS.data),
    hidden: read('hidden', widths, DEFAULTS.hidden),
    forward,
    forwardParams: decodeParams(query, 'forward', forward, errors),
    rule,
    ruleParams: decodeParams(query, 'rule', rule, errors),
    optimizer: read('opt', (t) => choice(t, OPTIMIZERS), DEFAULTS.optimizer),
    lr: read('lr', (t) => inLimits(t, LIMITS.lr, false), DEFAULTS.lr),
    seed: read('seed', (t) => inLimits(t, LIMITS.seed, true), DEFAULTS.seed),
    steps: read('steps', (t) => inLimits(t, LIMITS.steps, true), DEFAULTS.steps),
  };
  return { settings, errors };
}
