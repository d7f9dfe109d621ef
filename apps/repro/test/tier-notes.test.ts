import { describe, expect, it } from 'vitest';
import { jamming } from '../src/experiments/jamming';
import { LENET_DEFAULT_EPOCHS, lenetRect } from '../src/experiments/lenet-rect';
import { mlpDigits } from '../src/experiments/mlp-digits';
import type { ExperimentDefinition, Tier } from '../src/experiments/types';
import type { LoadedRun } from '../src/results/records';
import { sgdSteps, tierNotes } from '../src/report/tier-notes';

/** Finished-run stand-ins carrying a scaled tier's settings of a definition (tierNotes reads only those). */
function tierRuns(definition: ExperimentDefinition, tier: 'quick' | 'default'): LoadedRun[] {
  return definition[tier].spec.configs.map((c) => ({
    record: {
      run: {
        experiment: definition.full.name,
        config: c.id,
        seed: 0,
        settings: c.settings,
        tier: tier as Tier,
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
    expect(sgdSteps(lenetRect.quick.spec.configs[0]!.settings)).toBe(94 * 2);
    expect(sgdSteps(jamming.quick.spec.configs[0]!.settings)).toBe(63);
    expect(sgdSteps(mlpDigits.full.configs[0]!.settings)).toBeNull();
  });
});

describe('tierNotes', () => {
  it('states the tier and paper step counts and, for quick LeNet-5 runs, why accuracies may stay near chance', () => {
    const [steps, plateau] = tierNotes(lenetRect, 'quick', tierRuns(lenetRect, 'quick'));
    expect(steps).toBe('SGD steps per image-dataset run: 188 here, 7050 at the paper settings.');
    expect(plateau).toMatch(/plateau near chance .* too few SGD steps, not a defect/);
    expect(tierNotes(jamming, 'quick', tierRuns(jamming, 'quick'))[0]).toBe(
      'SGD steps per image-dataset run: 63 here, 18760 at the paper settings.',
    );
  });

  it('gives the default tier its step count without the plateau note', () => {
    const notes = tierNotes(lenetRect, 'default', tierRuns(lenetRect, 'default'));
    expect(notes).toEqual([
      `SGD steps per image-dataset run: ${235 * LENET_DEFAULT_EPOCHS} here, 7050 at the paper settings.`,
    ]);
  });

  it('has nothing to add for experiments without image datasets, nor for the full tier', () => {
    expect(tierNotes(mlpDigits, 'quick', tierRuns(mlpDigits, 'quick'))).toEqual([]);
    expect(tierNotes(lenetRect, 'full', tierRuns(lenetRect, 'default'))).toEqual([]);
  });
});
