import { describe, expect, it } from 'vitest';
import { backward } from '@fbt/autograd';
import { crossEntropy } from '@fbt/layers';
import { Rng, rand, tensor, tidy } from '@fbt/tensor';
import { BEYOND_EXPERIMENTS } from '../src/experiments/beyond';
import type { ModelSpec, RunSettings, RunSpec } from '../src/experiments/types';
import { validateUserExperiment } from '../src/experiments/validate';
import { checkRunSettings } from '../src/queue/jobs';
import { selectDefinitions } from '../src/run/plan';
import { parameterCount } from '../src/run/workload';
import { buildModel } from '../src/train/models';
import { checkRule } from '../src/train/preflight';
import { MLP_STUDY } from './fixtures';

const TIERS = ['quick', 'default', 'full'] as const;

function validate(change: Record<string, unknown>): void {
  validateUserExperiment({ ...MLP_STUDY, ...change }, 'study.json', checkRule);
}

function errorOf(change: Record<string, unknown>): string {
  try {
    validate(change);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected an error');
}

const IMAGE = { name: 'fashion-mnist', trainSize: 10, testSize: 10 };

describe('the beyond group', () => {
  it('`beyond` names its four experiments, each once, apart from `all`', () => {
    expect(selectDefinitions(['beyond']).map((d) => d.full.name)).toEqual([
      'snn-mnist',
      'rnn-fashion',
      'vit-fashion',
      'resnet-fashion',
    ]);
    expect(selectDefinitions(['beyond', 'vit-fashion']).map((d) => d.full.name)).toHaveLength(4);
    const all = selectDefinitions(['all']).map((d) => d.full.name);
    expect(all).not.toContain('rnn-fashion');
    expect(() => selectDefinitions(['beyonf'])).toThrow(
      /unknown experiment 'beyonf'; valid: .*, all, beyond$/,
    );
  });

  it('every run of every tier passes the checks a queued run gets', () => {
    for (const d of BEYOND_EXPERIMENTS)
      for (const tier of TIERS) {
        const spec = tier === 'full' ? d.full : d[tier].spec;
        for (const c of spec.configs) {
          const run = {
            experiment: spec.name,
            config: c.id,
            seed: 0,
            settings: c.settings,
            tier,
            backend: 'wasm',
          };
          expect(() => checkRunSettings(JSON.parse(JSON.stringify(run)) as RunSpec, tier)).not.toThrow();
        }
      }
  });
});

describe('config files with the beyond models', () => {
  it('accepts each model kind and adam', () => {
    const adam = { name: 'adam', lr: 0.001 };
    validate({ model: { kind: 'gru', hidden: 8 }, dataset: IMAGE, forwards: ['tanh'], optimizer: adam });
    validate({ model: { kind: 'lstm', hidden: 8, layers: 2 }, dataset: IMAGE, forwards: ['tanh'] });
    validate({
      model: { kind: 'vit', patch: 7, width: 8, depth: 1, heads: 2, mlpWidth: 16 },
      dataset: IMAGE,
      forwards: ['gelu', 'relu'],
    });
    validate({ model: { kind: 'spiking-mlp', hidden: [8], steps: 4, beta: 0.9 }, forwards: ['heaviside'] });
    validate({
      model: { kind: 'spiking-cnn', channels: 2, steps: 4, beta: 0.9 },
      dataset: IMAGE,
      forwards: ['heaviside'],
    });
    validate({ model: { kind: 'resnet', width: 4, blocks: 1 }, dataset: IMAGE });
  });

  it('refuses each bad combination in one line naming the field and the expected form', () => {
    expect(errorOf({ model: { kind: 'gru', hidden: 8 }, dataset: IMAGE, forwards: ['tanh', 'relu'] })).toBe(
      'study.json: "forwards[1]" is "relu"; expected tanh for model "gru" (its gates are logistic and its candidate tanh; the rule acts on all of them)',
    );
    expect(
      errorOf({ model: { kind: 'spiking-mlp', hidden: [8], steps: 4, beta: 0.9 }, forwards: ['relu'] }),
    ).toMatch(
      /"forwards\[0\]" is "relu"; expected heaviside for model "spiking-mlp" \(its spike is a Heaviside step\)$/,
    );
    expect(
      errorOf({
        model: { kind: 'vit', patch: 7, width: 10, depth: 1, heads: 4, mlpWidth: 16 },
        dataset: IMAGE,
      }),
    ).toMatch(/"model.heads" is 4; expected a divisor of the width 10$/);
    expect(
      errorOf({
        model: { kind: 'vit', patch: 5, width: 8, depth: 1, heads: 2, mlpWidth: 16 },
        dataset: IMAGE,
      }),
    ).toMatch(/"model.patch" is 5; expected 4, 7 or 14 \(a divisor of 28\)$/);
    expect(errorOf({ model: { kind: 'resnet', width: 4, blocks: 1 } })).toMatch(
      /"dataset.name" is "digits"; expected mnist or fashion-mnist for model "resnet" \(1×28×28 inputs\)$/,
    );
    expect(
      errorOf({ model: { kind: 'spiking-cnn', channels: 2, steps: 0, beta: 0.9 }, dataset: IMAGE }),
    ).toMatch(/"model.steps" is 0; expected an integer from 1 to 1000$/);
    expect(errorOf({ model: { kind: 'spiking-mlp', hidden: [8], steps: 4, beta: 1.5 } })).toMatch(
      /"model.beta" is 1.5; expected a number from 0 to 1$/,
    );
    expect(errorOf({ optimizer: { name: 'adam', lr: 0.1, momentum: 0.9 } })).toMatch(
      /unknown key "optimizer.momentum"/,
    );
    expect(errorOf({ optimizer: { name: 'rmsprop', lr: 0.1 } })).toMatch(
      /"optimizer.name" is "rmsprop"; expected one of sgd, adam$/,
    );
  });
});

/** Settings of a tiny run of `model` (only what `buildModel` reads matters). */
function settingsOf(model: ModelSpec, forward: RunSettings['forward'], rule: string): RunSettings {
  return {
    model,
    dataset: { name: 'fashion-mnist' },
    loss: 'cross-entropy',
    optimizer: { name: 'adam', lr: 0.001 },
    forward,
    rule: { name: rule },
    epochs: 1,
    batchSize: 2,
    probe: false,
  };
}

describe('the beyond models', () => {
  const models: [string, RunSettings][] = [
    ['gru', settingsOf({ kind: 'gru', hidden: 6, layers: 2 }, 'tanh', 'constant')],
    ['lstm', settingsOf({ kind: 'lstm', hidden: 6, layers: 1 }, 'tanh', 'rectangular')],
    [
      'vit',
      settingsOf({ kind: 'vit', patch: 7, width: 8, depth: 2, heads: 2, mlpWidth: 16 }, 'gelu', 'constant'),
    ],
    [
      'spiking-mlp',
      settingsOf({ kind: 'spiking-mlp', hidden: [12], steps: 5, beta: 0.9 }, 'heaviside', 'atan'),
    ],
    [
      'spiking-cnn',
      settingsOf({ kind: 'spiking-cnn', channels: 2, steps: 3, beta: 0.9 }, 'heaviside', 'fastSigmoid'),
    ],
    ['resnet', settingsOf({ kind: 'resnet', width: 4, blocks: 2 }, 'relu', 'rectangular')],
  ];

  it.each(models)(
    '%s maps [N, 1, 28, 28] images to [N, 10] scores and gives every parameter a gradient',
    (_, settings) => {
      const model = buildModel(settings, [1, 28, 28], 10, new Rng(1));
      tidy(() => {
        const x = rand([3, 1, 28, 28], new Rng(2));
        const out = model.call(x);
        expect(out.shape).toEqual([3, 10]);
        backward(crossEntropy(out, tensor([1, 2, 3], [3], 'int32')));
      });
      const silent = model
        .namedParameters()
        .filter(([, p]) => p.grad === null)
        .map(([name]) => name);
      expect(silent).toEqual([]);
      model.dispose();
    },
  );

  it('the wasm memory check counts their parameters (and every other model’s) exactly', () => {
    const paper: [string, RunSettings][] = [
      ['mlp', settingsOf({ kind: 'mlp', hidden: [7, 5] }, 'relu', 'tied')],
      ['binary-mlp', settingsOf({ kind: 'binary-mlp', hidden: [7, 5] }, 'sign', 'tied')],
      ['lenet5', settingsOf({ kind: 'lenet5' }, 'logistic', 'tied')],
    ];
    for (const [kind, settings] of [...models, ...paper]) {
      const model = buildModel(settings, [1, 28, 28], 10, new Rng(1));
      const actual = model.parameters().reduce((sum, p) => sum + p.size, 0);
      expect(parameterCount(settings.model, settings.dataset), kind).toBe(actual);
      model.dispose();
    }
  });

  it('the spiking models pass no gradient under the tied rule: the Heaviside spike is flat', () => {
    const model = buildModel(
      settingsOf({ kind: 'spiking-mlp', hidden: [12], steps: 5, beta: 0.9 }, 'heaviside', 'tied'),
      [1, 28, 28],
      10,
      new Rng(1),
    );
    tidy(() =>
      backward(crossEntropy(model.call(rand([3, 1, 28, 28], new Rng(2))), tensor([1, 2, 3], [3], 'int32'))),
    );
    for (const [name, p] of model.namedParameters())
      expect(p.grad === null || p.grad.dataSync().every((g) => g === 0), name).toBe(true);
    model.dispose();
  });
});
