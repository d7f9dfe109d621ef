import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/errors';
import { validateUserExperiment } from '../src/experiments/validate';
import { checkRule } from '../src/train/preflight';
import { MLP_STUDY } from './fixtures';

const valid = MLP_STUDY;

/** Values that break validators: extremes, wrong types, reserved keys, deep nesting. */
const nasty = fc.oneof(
  fc.constantFrom(
    0,
    -0,
    -1,
    0.5,
    1e308,
    -1e308,
    2 ** 32,
    2 ** 53,
    Number.MAX_VALUE,
    Number.MIN_VALUE,
    '',
    'NaN',
    'Infinity',
    '__proto__',
    'constructor',
    null,
    true,
    [],
    {},
    JSON.parse('{"__proto__": {"x": 1}}') as unknown,
    JSON.parse('{"constructor": 1}') as unknown,
    JSON.parse(`${'['.repeat(1000)}${']'.repeat(1000)}`) as unknown,
  ),
  fc.jsonValue({ maxDepth: 4 }),
  fc.string({ maxLength: 500 }),
  fc.double(),
  fc.integer(),
);

/** Key paths of `valid` (and one level below them) to replace. */
const paths: (string | number)[][] = [
  ...Object.keys(valid).map((k) => [k]),
  ['model', 'kind'],
  ['model', 'hidden'],
  ['model', 'hidden', 0],
  ['model', 'extra'],
  ['dataset', 'name'],
  ['dataset', 'testFraction'],
  ['dataset', 'd'],
  ['optimizer', 'lr'],
  ['optimizer', 'momentum'],
  ['optimizer', 'name'],
  ['seeds', 0],
  ['seeds', 1],
  ['forwards', 0],
  ['rules', 0],
  ['rules', 0, 'name'],
  ['rules', 0, 'params'],
  ['rules', 0, 'params', 'a'],
  ['rules', 0, 'params', '__proto__'],
  ['__proto__'],
  ['extra'],
];

/** `valid` with the values at some paths replaced (a deep copy; missing steps created). */
function mutate(replacements: [(string | number)[], unknown][]): unknown {
  const copy = JSON.parse(JSON.stringify(valid)) as Record<string, unknown>;
  for (const [path, value] of replacements) {
    let here: Record<string | number, unknown> = copy;
    for (const key of path.slice(0, -1)) {
      const next = here[key];
      if (next === null || typeof next !== 'object') here[key] = {};
      here = here[key] as Record<string | number, unknown>;
    }
    Object.defineProperty(here, path[path.length - 1]!, {
      value: structuredClone(value),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  // Through JSON text, as a config file arrives (reserved keys become own properties).
  return JSON.parse(JSON.stringify(copy)) as unknown;
}

/** Accepted, or refused with a one-line UsageError; anything else fails the property. */
function acceptedOrRefused(value: unknown): boolean {
  try {
    validateUserExperiment(value, 'fuzz.json', checkRule);
    return true;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    expect(error.message).not.toContain('\n');
    return false;
  }
}

describe('the config validator on arbitrary input', () => {
  it('accepts or refuses with a UsageError, never another exception (10 000 cases)', () => {
    let accepted = 0;
    fc.assert(
      fc.property(
        fc.oneof(
          { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 6 }) },
          {
            weight: 4,
            arbitrary: fc
              .array(fc.tuple(fc.constantFrom(...paths), nasty), { minLength: 1, maxLength: 4 })
              .map(mutate),
          },
        ),
        (value) => {
          if (acceptedOrRefused(value)) accepted++;
        },
      ),
      { numRuns: 10_000, seed: 14 },
    );
    // Some mutations keep the config valid (e.g. another seed): the accepting side is exercised too.
    expect(accepted).toBeGreaterThan(0);
  });
});
