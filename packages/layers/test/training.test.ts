import { describe, expect, it } from 'vitest';
import { backward } from '@fbt/autograd';
import { Rng, tensor } from '@fbt/tensor';
import { Activation, BinaryLinear, Linear, Sequential, crossEntropy } from '../src';
import { moonsSplit, trainClassifier, values, type PointSet } from './helpers';

/** 2 → 8 → 8 → 2 with Heaviside hidden units whose backward is `rule`. */
function heavisideNet(rule: string, seed: number): Sequential {
  const rng = new Rng(seed);
  return new Sequential(
    new Linear(2, 8, { rng }),
    new Activation('heaviside', rule, undefined, { name: 'hidden1' }),
    new Linear(8, 8, { rng }),
    new Activation('heaviside', rule, undefined, { name: 'hidden2' }),
    new Linear(8, 2, { rng }),
  );
}

const { train, test } = moonsSplit(1000, 0.1, 1, 800);
const settings = { batchSize: 50, lr: 0.02 };

describe('two moons with Heaviside hidden layers', () => {
  it('tied gives exactly zero gradient to every layer below the output', () => {
    const model = heavisideNet('tied', 1);
    backward(crossEntropy(model.call(train.x), train.y));
    const grads = Object.fromEntries(model.namedParameters().map(([name, p]) => [name, values(p.grad!)]));
    for (const name of ['0.weight', '0.bias', '2.weight', '2.bias'])
      expect(grads[name]!.every((g) => g === 0)).toBe(true);
    expect(grads['4.weight']!.some((g) => g !== 0)).toBe(true);
  });

  it('rectangular and triangular reach at least 97 % test accuracy', { timeout: 60_000 }, () => {
    for (const rule of ['rectangular', 'triangular']) {
      const acc = trainClassifier(heavisideNet(rule, 1), train, test, { ...settings, epochs: 20, seed: 7 });
      expect(acc, rule).toBeGreaterThanOrEqual(0.97);
    }
  });

  it('constant beats tied on the mean over three seeds', { timeout: 60_000 }, () => {
    const mean = (rule: string): number =>
      [1, 2, 3].reduce(
        (s, seed) =>
          s + trainClassifier(heavisideNet(rule, seed), train, test, { ...settings, epochs: 12, seed }),
        0,
      ) / 3;
    expect(mean('constant')).toBeGreaterThan(mean('tied'));
  });
});

/** The fixed random hyperplane that labels the binary-layer task. */
const teacher = new Rng(10).fillNormal(new Float32Array(16));

/** 16-dimensional Gaussian points labelled by the side of the teacher hyperplane they fall on. */
function teacherTask(n: number, seed: number): PointSet {
  const rng = new Rng(seed);
  const x = rng.fillNormal(new Float32Array(n * 16));
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let dot = 0;
    for (let j = 0; j < 16; j++) dot += x[i * 16 + j]! * teacher[j]!;
    y[i] = dot >= 0 ? 1 : 0;
  }
  return { x: tensor(x, [n, 16]), y: tensor(y, [n]) };
}

describe('binary layers', () => {
  for (const scale of [false, true]) {
    it(
      `a BinaryLinear network learns a teacher task with effective weights exactly ±${scale ? 'α' : '1'}`,
      { timeout: 60_000 },
      () => {
        const rng = new Rng(3);
        const first = new BinaryLinear(16, 32, { rng, scale });
        const model = new Sequential(
          first,
          new Activation('tanh'),
          new BinaryLinear(32, 2, { rng, scale, bias: true }),
        );
        const acc = trainClassifier(model, teacherTask(600, 11), teacherTask(400, 12), {
          epochs: 10,
          batchSize: 50,
          lr: 0.01,
          seed: 5,
        });
        expect(acc).toBeGreaterThan(0.85);
        const latent = values(first.weight);
        expect(latent.every((w) => Math.abs(w) <= 1)).toBe(true); // clipped by applyConstraints
        const effective = values(first.effectiveWeight());
        for (let row = 0; row < 32; row++) {
          const latentRow = latent.slice(row * 16, row * 16 + 16);
          const alpha = scale ? Math.fround(latentRow.reduce((s, w) => s + Math.abs(w), 0) / 16) : 1;
          effective.slice(row * 16, row * 16 + 16).forEach((w, j) => {
            expect(Math.abs(w)).toBeCloseTo(alpha, 6);
            expect(Math.sign(w)).toBe(latentRow[j]! >= 0 ? 1 : -1);
          });
          if (!scale)
            expect(effective.slice(row * 16, row * 16 + 16).every((w) => w === 1 || w === -1)).toBe(true);
        }
      },
    );
  }
});
