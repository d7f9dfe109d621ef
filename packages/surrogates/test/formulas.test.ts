import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, RULES, activation, activationFormulas, ruleFormula, sample, type Params } from '../src';
import { expectClose, forwardValues, gradValues } from './helpers';

/** [z, φ(z), φ'(z)], hand-computed (closed forms evaluated once, written out). */
type Point = readonly [number, number, number];
interface ActivationCase {
  readonly params?: Params;
  readonly points: readonly Point[];
}

const e1 = Math.exp(-1);
const ACTIVATION_CASES: Record<string, readonly ActivationCase[]> = {
  linear: [
    {
      points: [
        [-2, -2, 1],
        [0, 0, 1],
        [0.5, 0.5, 1],
      ],
    },
  ],
  relu: [
    {
      points: [
        [-2, 0, 0],
        [0, 0, 0],
        [0.5, 0.5, 1],
        [2, 2, 1],
      ],
    },
  ],
  relu6: [
    {
      points: [
        [-1, 0, 0],
        [0, 0, 0],
        [3, 3, 1],
        [6, 6, 0],
        [7.5, 6, 0],
      ],
    },
  ],
  leakyRelu: [
    {
      points: [
        [-2, -0.02, 0.01],
        [0, 0, 0.01],
        [3, 3, 1],
      ],
    },
    {
      params: { alpha: 0.2 },
      points: [
        [-2, -0.4, 0.2],
        [1, 1, 1],
      ],
    },
  ],
  elu: [
    {
      points: [
        [-1, e1 - 1, e1],
        [0, 0, 1],
        [2, 2, 1],
      ],
    },
    {
      params: { alpha: 2 },
      points: [
        [-1, 2 * (e1 - 1), 2 * e1],
        [0.5, 0.5, 1],
      ],
    },
  ],
  logistic: [
    {
      points: [
        [0, 0.5, 0.25],
        [2, 0.8807970779778823, 0.10499358540350662],
        [-2, 0.11920292202211755, 0.10499358540350662],
        [-30, 9.357622968839299e-14, 9.357622968839299e-14],
      ],
    },
  ],
  tanh: [
    {
      points: [
        [0, 0, 1],
        [0.5, 0.46211715726000974, 0.7864477329659274],
        [-2, -0.9640275800758169, 0.07065082485316443],
      ],
    },
  ],
  hardtanh: [
    {
      points: [
        [-2, -1, 0],
        [-1, -1, 0],
        [0.5, 0.5, 1],
        [1, 1, 0],
        [3, 1, 0],
      ],
    },
  ],
  softplus: [
    {
      points: [
        [0, Math.LN2, 0.5],
        [2, 2.1269280110429727, 0.8807970779778823],
        [-2, 0.1269280110429726, 0.11920292202211755],
        [50, 50, 1],
        [-50, 1.9287498479639178e-22, 1.9287498479639178e-22],
      ],
    },
  ],
  silu: [
    {
      points: [
        [0, 0, 0.5],
        [2, 1.7615941559557646, 1.0907842487848955],
        [-2, -0.2384058440442351, -0.09078424878489547],
        [-1000, 0, 0],
      ],
    },
  ],
  gelu: [
    {
      points: [
        [0, 0, 0.5],
        [0.5, 0.34573123063700656, 0.8674951246561629],
        [-0.5, -0.15426876936299344, 0.13250487534383712],
        [2, 1.9544997361036416, 1.085231801078197],
        [-2, -0.04550026389635842, -0.08523180107819692],
      ],
    },
  ],
  heaviside: [
    {
      points: [
        [-1, 0, 0],
        [-1e-30, 0, 0],
        [0, 1, 0],
        [1e-30, 1, 0],
        [2, 1, 0],
      ],
    },
  ],
  sign: [
    {
      points: [
        [-2, -1, 0],
        [-1e-30, -1, 0],
        [0, 1, 0],
        [0.5, 1, 0],
      ],
    },
  ],
  staircase: [
    // levels 4: outputs 0, 1/3, 2/3, 1; round half up.
    {
      points: [
        [-1, 0, 0],
        [0.1, 0, 0],
        [0.2, 1 / 3, 0],
        [0.5, 2 / 3, 0],
        [0.9, 1, 0],
        [2, 1, 0],
      ],
    },
    {
      params: { levels: 2 },
      points: [
        [0.25, 0, 0],
        [0.5, 1, 0],
        [0.75, 1, 0],
      ],
    },
  ],
};

/** [z, g, draw, gradient passed down], hand-computed. A factor rule gives g·ψ(z). */
type RulePoint = readonly [number, number, number, number];
interface RuleCase {
  readonly params?: Params;
  readonly forward?: string;
  readonly points: readonly RulePoint[];
}

const RULE_CASES: Record<string, readonly RuleCase[]> = {
  tied: [
    {
      forward: 'elu',
      points: [
        [-1, 1, 0, e1],
        [2, 3, 0, 3],
      ],
    },
    { forward: 'tanh', points: [[0.5, 2, 0, 2 * 0.7864477329659274]] },
    {
      forward: 'heaviside',
      points: [
        [0, 5, 0, 0],
        [-1, 5, 0, 0],
      ],
    },
  ],
  constant: [
    {
      points: [
        [-7, 1, 0, 1],
        [0, 3, 0, 3],
        [40, -2, 0, -2],
      ],
    },
    { params: { c: 0.5 }, points: [[1, 2, 0, 1]] },
  ],
  rectangular: [
    {
      points: [
        [-0.6, 1, 0, 0],
        [-0.5, 1, 0, 1],
        [0, 2, 0, 2],
        [0.5, 1, 0, 1],
        [0.51, 1, 0, 0],
      ],
    },
    {
      params: { a: -1, b: 2 },
      points: [
        [1.5, 1, 0, 1],
        [-1.5, 1, 0, 0],
        [2, 1, 0, 1],
      ],
    },
  ],
  triangular: [
    // A real triangle: height 1 at 0, zero at ±w, linear in between.
    {
      points: [
        [-1, 1, 0, 0],
        [-0.5, 1, 0, 0.5],
        [0, 1, 0, 1],
        [0.25, 2, 0, 1.5],
        [1.5, 1, 0, 0],
      ],
    },
    {
      params: { w: 2 },
      points: [
        [1, 1, 0, 0.5],
        [-3, 1, 0, 0],
        [0.5, 1, 0, 0.75],
      ],
    },
  ],
  fullJam: [
    {
      points: [
        [-3, 1, 0.3, 0.3],
        [2, 2, 0.25, 0.5],
      ],
    },
  ],
  positiveJam: [
    {
      points: [
        [-0.1, 1, 0.7, 0],
        [0, 1, 0.7, 0.7],
        [4, 2, 0.5, 1],
      ],
    },
  ],
  rectangularJam: [
    {
      points: [
        [5, 1, 0.4, 0.4],
        [5.1, 1, 0.4, 0],
        [-5, 1, 0.25, 0.25],
        [-5.5, 1, 0.9, 0],
      ],
    },
    {
      params: { a: 0, b: 1 },
      points: [
        [-0.5, 1, 0.5, 0],
        [0.5, 1, 0.5, 0.5],
      ],
    },
  ],
  support: [
    {
      forward: 'relu',
      points: [
        [-1, 1, 0, 0],
        [0, 1, 0, 0],
        [0.3, 2, 0, 2],
      ],
    },
    {
      forward: 'tanh',
      points: [
        [3, 1, 0, 1],
        [-0.5, 2, 0, 2],
      ],
    },
    { forward: 'heaviside', points: [[0, 1, 0, 0]] },
  ],
  scale: [
    { points: [[0, 1, 0, 1]] },
    {
      params: { s: 2 },
      points: [
        [0, 1, 0, 2],
        [-4, 3, 0, 6],
      ],
    },
  ],
  noise: [
    {
      points: [
        [0, 1, 2, 1.2],
        [3, -1, -1, -1.1],
      ],
    },
    { params: { sigma: 0 }, points: [[0, 1, 5, 1]] },
  ],
  sigmoidSurrogate: [
    {
      points: [
        [0, 1, 0, 1],
        [0.5, 1, 0, 0.41997434161402647],
        [-0.5, 1, 0, 0.41997434161402647],
        [100, 1, 0, 0],
      ],
    },
    { params: { alpha: 1 }, points: [[0, 1, 0, 0.25]] },
  ],
  fastSigmoid: [
    {
      points: [
        [0, 1, 0, 1],
        [0.04, 1, 0, 0.25],
        [-0.2, 1, 0, 1 / 36],
      ],
    },
    { params: { k: 1 }, points: [[1, 1, 0, 0.25]] },
  ],
  atan: [
    {
      points: [
        [0, 1, 0, 1],
        [1 / Math.PI, 1, 0, 0.5],
        [-1, 1, 0, 0.09199966835037524],
      ],
    },
    { params: { alpha: 1 }, points: [[0, 1, 0, 0.5]] },
  ],
  erf: [
    {
      points: [
        [0, 1, 0, 1.1283791670955126],
        [0.5, 1, 0, 0.4151074974205947],
        [-0.5, 1, 0, 0.4151074974205947],
      ],
    },
  ],
  piecewiseQuadratic: [
    {
      points: [
        [0, 1, 0, 1],
        [0.5, 1, 0, 0.5],
        [-1, 1, 0, 0],
        [2, 1, 0, 0],
      ],
    },
    {
      params: { alpha: 2 },
      points: [
        [0, 1, 0, 2],
        [0.25, 1, 0, 1],
        [0.5, 1, 0, 0],
      ],
    },
  ],
  clippedSte: [
    {
      points: [
        [0, 1, 0, 1],
        [1, 1, 0, 1],
        [-1, 1, 0, 1],
        [1.01, 1, 0, 0],
      ],
    },
    {
      params: { clip: 0.5 },
      points: [
        [0.6, 1, 0, 0],
        [0.4, 1, 0, 1],
      ],
    },
  ],
  approxSign: [
    {
      points: [
        [0, 1, 0, 2],
        [0.5, 1, 0, 1],
        [-0.25, 1, 0, 1.5],
        [1, 1, 0, 0],
        [1.5, 1, 0, 0],
      ],
    },
  ],
  swishSign: [
    // β(2 − βz·tanh(βz/2)) / (1 + cosh βz), evaluated in the cosh form.
    {
      points: [
        [0, 1, 0, 5],
        [0.2, 1, 0, 3.023661188100153],
        [-0.1, 1, 0, 4.412290269770287],
        [0.5, 1, 0, -0.0846215652336886],
      ],
    },
  ],
};

/** The reduction transforms have no per-element formula; they are pinned in transforms.test.ts. */
const REDUCTION_RULES = ['clipNorm', 'centralize'];

describe('forward activations: value and exact derivative against hand-computed values', () => {
  it('has hand-computed cases for every activation of the table', () => {
    expect(Object.keys(ACTIVATION_CASES).sort()).toEqual(ACTIVATIONS.map((a) => a.name).sort());
  });

  for (const [name, cases] of Object.entries(ACTIVATION_CASES)) {
    for (const { params, points } of cases) {
      const label = `${name}${params ? JSON.stringify(params) : ''}`;
      const zs = points.map((p) => p[0]);
      it(`${label}: plain-JS evaluator`, () => {
        const f = activationFormulas(name, params);
        expectClose(
          zs.map(f.value),
          points.map((p) => p[1]),
          `${label} value`,
        );
        expectClose(
          zs.map(f.derivative),
          points.map((p) => p[2]),
          `${label} derivative`,
        );
      });
      it(`${label}: kernel forward and tied backward`, () => {
        const act = activation(name, 'tied', params);
        expectClose(
          forwardValues(act, zs),
          points.map((p) => p[1]),
          `${label} forward`,
        );
        expectClose(
          gradValues(act, zs),
          points.map((p) => p[2]),
          `${label} tied gradient`,
        );
      });
    }
  }
});

describe('backward rules: passed-down gradient against hand-computed values', () => {
  it('has hand-computed cases for every per-element rule of the table', () => {
    const covered = [...Object.keys(RULE_CASES), ...REDUCTION_RULES].sort();
    expect(covered).toEqual(RULES.map((r) => r.name).sort());
  });

  for (const [name, cases] of Object.entries(RULE_CASES)) {
    for (const { params, forward, points } of cases) {
      const label = `${name}${params ? JSON.stringify(params) : ''}${forward ? ` after ${forward}` : ''}`;
      it(`${label}: plain-JS evaluator`, () => {
        const f = ruleFormula(name, { ...(params ? { params } : {}), ...(forward ? { forward } : {}) });
        expectClose(
          points.map(([z, g, d]) => f(z, g, d)),
          points.map((p) => p[3]),
          label,
        );
      });
      const deterministic = points.every((p) => p[2] === 0);
      if (deterministic) {
        it(`${label}: kernel backward`, () => {
          const act = activation(forward ?? 'linear', name, params ? { backward: params } : undefined);
          const zs = points.map((p) => p[0]);
          const gs = points.map((p) => p[1]);
          expectClose(
            gradValues(act, zs, gs),
            points.map((p) => p[3]),
            label,
          );
        });
        it(`${label}: sample() gives the g = 1 values`, () => {
          const zs = points.map((p) => p[0]);
          const expected = points.map((p) => p[3] / p[1]);
          const got = Array.from(
            sample(name, zs, { ...(params ? { params } : {}), ...(forward ? { forward } : {}) }),
          );
          expectClose(got, expected, label);
        });
      }
    }
  }
});
