import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defaultCacheDir, FASHION_MNIST_SPEC, MNIST_SPEC, type ImageDatasetSpec } from '@fbt/datasets/node';
import { activation, rule as surrogateRule } from '@fbt/surrogates';
import { FbtError } from '@fbt/tensor';
import { UsageError } from '../errors';
import type { RuleSpec, RunSpec } from '../experiments/types';

/** Checks a rule against @fbt/surrogates (name and parameters); returns its error message or null. */
export function checkRule(spec: RuleSpec): string | null {
  try {
    surrogateRule(spec.name, spec.params);
    return null;
  } catch (error) {
    if (error instanceof FbtError) return error.message;
    throw error;
  }
}

function imageFilesDir(spec: ImageDatasetSpec): { dir: string | undefined; searched: string[] } {
  const searched = [...spec.offlineDirs(), join(defaultCacheDir(), spec.cacheName)];
  const names = Object.values(spec.files).map((f) => f.name);
  const dir = searched.find((d) =>
    names.every((n) => existsSync(join(d, n)) || existsSync(join(d, `${n}.gz`))),
  );
  return { dir, searched };
}

/**
 * Checks, before anything is written, that every run's forward/rule pair builds and that its data
 * are on disk (the suite runs offline); throws one UsageError naming the first problem.
 */
export function checkRunInputs(runs: readonly RunSpec[]): void {
  const checked = new Set<string>();
  for (const run of runs) {
    const { forward, rule, dataset } = run.settings;
    const key = JSON.stringify([forward, rule]);
    if (!checked.has(key)) {
      checked.add(key);
      try {
        activation(forward, rule.name, rule.params);
      } catch (error) {
        if (error instanceof FbtError)
          throw new UsageError(`${run.experiment}/${run.config}: ${error.message}`);
        throw error;
      }
    }
    if ((dataset.name === 'mnist' || dataset.name === 'fashion-mnist') && !checked.has(dataset.name)) {
      checked.add(dataset.name);
      const spec = dataset.name === 'mnist' ? MNIST_SPEC : FASHION_MNIST_SPEC;
      const { dir, searched } = imageFilesDir(spec);
      if (dir === undefined) {
        throw new UsageError(
          `missing data: ${spec.name} (needed by ${run.experiment}) not found in ${searched.join(', ')}; put its four IDX files (raw or .gz) in one of them`,
        );
      }
    }
  }
}
