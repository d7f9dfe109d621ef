import { activation, rule } from '@fbt/surrogates';
import { FbtError } from '@fbt/tensor';
import { UsageError } from '../errors';
import type { RuleSpec, RunSpec } from '../experiments/types';

/** Checks a rule against @fbt/surrogates (name and parameters); returns its error message or null. */
export function checkRule(spec: RuleSpec): string | null {
  try {
    rule(spec.name, spec.params);
    return null;
  } catch (error) {
    if (error instanceof FbtError) return error.message;
    throw error;
  }
}

/**
 * Checks, before anything is written, that every run's forward/rule pair builds; throws one
 * UsageError naming the first run whose pair does not.
 */
export function checkRunRules(runs: readonly RunSpec[]): void {
  const checked = new Set<string>();
  for (const run of runs) {
    const { forward, rule } = run.settings;
    const key = JSON.stringify([forward, rule]);
    if (checked.has(key)) continue;
    checked.add(key);
    try {
      activation(forward, rule.name, rule.params);
    } catch (error) {
      if (error instanceof FbtError)
        throw new UsageError(`${run.experiment}/${run.config}: ${error.message}`);
      throw error;
    }
  }
}
