import { readFileSync } from 'node:fs';
import { ready } from '@fbt/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { disposeData, loadData } from '../.vitepress/theme/playground/data';
import { boundsOf, gridPoints, train, type Report } from '../.vitepress/theme/playground/run';
import { DATASETS, DEFAULTS, type Settings } from '../.vitepress/theme/playground/settings';
import { decodeSettings, encodeSettings } from '../.vitepress/theme/playground/url-state';

/** Every report of a run of the playground's training loop (the code its worker runs). */
function reports(settings: Settings, reportEvery = 100): Report[] {
  const data = loadData(settings.data, settings.seed);
  try {
    return [...train(settings, data, { reportEvery })];
  } finally {
    disposeData(data);
  }
}

describe('the playground URL state', () => {
  it('round-trips every control', () => {
    const settings: Settings = {
      data: 'spirals',
      hidden: [8, 8, 3],
      forward: 'leakyRelu',
      forwardParams: { alpha: 0.2 },
      rule: 'triangular',
      ruleParams: { w: 0.25 },
      optimizer: 'sgd',
      lr: 0.125,
      seed: 42,
      steps: 700,
    };
    const query = encodeSettings(settings);
    expect(query).toContain('hidden=8,8,3');
    expect(decodeSettings(query)).toEqual({ settings, errors: [] });
    expect(decodeSettings(encodeSettings(DEFAULTS))).toEqual({ settings: DEFAULTS, errors: [] });
    expect(decodeSettings('')).toEqual({ settings: DEFAULTS, errors: [] });
  });

  it.each([
    ['data=moons', 'data=moons: expected one of two-moons, spirals, xor, blobs, digits'],
    ['hidden=16,,4', 'hidden=16,,4: expected 1 to 4 widths in [1, 128] separated by commas, e.g. 16,4'],
    ['hidden=1,2,3,4,5', 'hidden=1,2,3,4,5: expected 1 to 4 widths'],
    ['hidden=0', 'hidden=0: expected 1 to 4 widths'],
    ['forward=step2', 'forward=step2: expected a forward activation: '],
    ['rule=transposeSign', 'rule=transposeSign: expected a backward rule: tied, '],
    ['opt=lbfgs', 'opt=lbfgs: expected one of adam, adamw, sgd'],
    ['lr=0', 'lr=0: expected a number in [0.00001, 10]'],
    ['lr=0x10', 'lr=0x10: expected a number in [0.00001, 10]'],
    ['seed=1.5', 'seed=1.5: expected an integer in [0, 2147483647]'],
    ['steps=', 'steps=: expected an integer in [1, 20000]'],
    ['r.c=1', "r.c: rule 'rectangular' has no such parameter; its parameters: r.a, r.b"],
    ['r.a=1&r.b=0', "r.*: rectangular: 'rectangular' needs a < b; got a=1, b=0; using the defaults"],
    ['colour=red', 'colour: unknown; expected data, hidden, forward, rule, opt, lr, seed, steps, f.*, r.*'],
  ])('refuses %s, names it and keeps the default', (query, message) => {
    const { settings, errors } = decodeSettings(query);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(message);
    expect(settings).toEqual(DEFAULTS);
  });

  it('keeps the valid values of a URL that has an invalid one', () => {
    const { settings, errors } = decodeSettings('data=xor&lr=fast&seed=9&rule=triangular&r.w=0');
    expect(errors).toEqual([
      'r.w=0: expected a number in (0, ∞)',
      'lr=fast: expected a number in [0.00001, 10]',
    ]);
    expect(settings).toEqual({ ...DEFAULTS, data: 'xor', seed: 9, rule: 'triangular', ruleParams: { w: 1 } });
  });
});

describe("the playground's training loop", () => {
  beforeAll(ready);

  it('trains the documented setup above 0.95 with rectangular and at least 10 points lower with tied', () => {
    const rectangular = reports(DEFAULTS).at(-1)!;
    const tied = reports({ ...DEFAULTS, rule: 'tied', ruleParams: {} }).at(-1)!;
    expect(rectangular.step).toBe(DEFAULTS.steps);
    expect(rectangular.testAccuracy).toBeGreaterThanOrEqual(0.95);
    expect(tied.testAccuracy).toBeLessThanOrEqual(rectangular.testAccuracy - 0.1);
    // Under a Heaviside forward the tied gradient below the Heaviside layers is zero: cos reads 0.
    expect(rectangular.cosines.map((c) => c.layer)).toEqual([
      '0.weight',
      '0.bias',
      '2.weight',
      '2.bias',
      '4.weight',
      '4.bias',
    ]);
    expect(rectangular.cosines.slice(0, 4).map((c) => c.cosine)).toEqual([0, 0, 0, 0]);
    expect(rectangular.cosines.slice(4).map((c) => c.cosine)).toEqual([1, 1].map(() => expect.closeTo(1, 5)));
  }, 60_000);

  it('is repeatable, and its cosine to the tied gradient moves for a smooth forward', () => {
    const settings: Settings = { ...DEFAULTS, forward: 'tanh', steps: 400 };
    const first = reports(settings);
    expect(reports(settings)).toEqual(first);
    const cosines = first.map((r) => r.cosines[0]!.cosine);
    expect(new Set(cosines).size).toBe(cosines.length);
    for (const c of cosines) expect(Math.abs(c)).toBeLessThanOrEqual(1 + 1e-6);
  }, 60_000);

  it('trains every data set, with class probabilities on a grid for the 2-D ones', () => {
    const digits = new Uint8Array(
      readFileSync(new URL('../../packages/datasets/data/digits.csv.gz', import.meta.url)),
    );
    for (const name of DATASETS) {
      const settings: Settings = {
        ...DEFAULTS,
        data: name,
        forward: 'relu',
        rule: 'tied',
        ruleParams: {},
        steps: 20,
      };
      const data = loadData(name, settings.seed, digits);
      const planar = data.features === 2;
      const grid = planar ? gridPoints(4, boundsOf(Float32Array.from(data.train.x.dataSync()))) : undefined;
      const last = [...train(settings, data, { reportEvery: 10, grid })].at(-1)!;
      expect(last.step).toBe(20);
      expect(Number.isFinite(last.loss)).toBe(true);
      expect(data.features).toBe(name === 'digits' ? 64 : 2);
      if (grid) {
        expect(last.grid).toHaveLength(16 * data.classes);
        const sums = Array.from({ length: 16 }, (_, k) =>
          last.grid!.slice(k * data.classes, (k + 1) * data.classes).reduce((a, b) => a + b),
        );
        for (const sum of sums) expect(sum).toBeCloseTo(1, 5);
        grid.dispose();
      } else {
        expect(last.grid).toBeUndefined();
      }
      disposeData(data);
    }
  }, 60_000);
});
