import { describe, expect, it } from 'vitest';
import { jamming } from '../src/experiments/jamming';
import { lenetRect } from '../src/experiments/lenet-rect';
import { mlpDigits } from '../src/experiments/mlp-digits';
import type { ExperimentDefinition } from '../src/experiments/types';
import type { LoadedRun } from '../src/results/records';
import { quickNotes, sgdSteps } from '../src/report/quick-notes';

/** Finished-run stand-ins carrying the quick settings of a definition (quickNotes reads only those). */
function quickRuns(definition: ExperimentDefinition): LoadedRun[] {
  return definition.quick.configs.map((c) => ({
    record: {
      run: {
        experiment: definition.full.name,
        config: c.id,
        seed: 0,
        settings: c.settings,
        quick: true,
        backend: 'cpu',
      },
      environment: {
        node: 'v20',
        platform: 'linux',
        arch: 'x64',
        cpu: 'cpu',
        cpuCount: 2,
        backend: 'cpu',
        packages: {},
      },
    },
    metrics: [],
  }));
}

describe('sgdSteps', () => {
  it('is ⌈examples / batch⌉ × epochs on image datasets (60 000 MNIST examples when not cut)', () => {
    const full = lenetRect.full.configs[0]!.settings;
    expect(sgdSteps(full)).toBe(235 * 30);
    expect(sgdSteps(lenetRect.quick.configs[0]!.settings)).toBe(94 * 2);
    expect(sgdSteps(jamming.quick.configs[0]!.settings)).toBe(63);
    expect(sgdSteps(mlpDigits.full.configs[0]!.settings)).toBeNull();
  });
});

describe('quickNotes', () => {
  it('states the quick and paper step counts and, for LeNet-5, why accuracies may stay near chance', () => {
    const [steps, plateau] = quickNotes(lenetRect, quickRuns(lenetRect));
    expect(steps).toBe('SGD steps per image-dataset run: 188 here, 7050 at the paper settings.');
    expect(plateau).toMatch(/plateau near chance .* too few SGD steps, not a defect/);
    expect(quickNotes(jamming, quickRuns(jamming))[0]).toBe(
      'SGD steps per image-dataset run: 63 here, 18760 at the paper settings.',
    );
  });

  it('has nothing to add for experiments without image datasets', () => {
    expect(quickNotes(mlpDigits, quickRuns(mlpDigits))).toEqual([]);
  });
});
