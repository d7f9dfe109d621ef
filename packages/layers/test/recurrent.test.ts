import { describe, expect, it } from 'vitest';
import { backward, gradCheck } from '@fbt/autograd';
import { rule, withRule, type RuleLike } from '@fbt/surrogates';
import {
  ArgumentError,
  DTypeError,
  Rng,
  ShapeError,
  concat,
  randn,
  reshape,
  sum,
  tensor,
  tidy,
  zeros,
  type Tensor,
} from '@fbt/tensor';
import {
  Adam,
  GRU,
  GRUCell,
  LSTM,
  LSTMCell,
  Linear,
  Module,
  accuracy,
  crossEntropy,
  type RecurrentRules,
  type StateDict,
} from '../src';
import { values } from './helpers';

const sigmoid = (a: number): number => 1 / (1 + Math.exp(-a));

describe('recurrent layers: parameters', () => {
  it("registers PyTorch's names and shapes, stacked layers reading the hidden size", () => {
    const shapes = (m: Module): [string, readonly number[]][] =>
      m.namedParameters().map(([n, p]) => [n, p.shape]);
    expect(shapes(new GRU(5, 7, { rng: new Rng(0), numLayers: 2 }))).toEqual([
      ['weight_ih_l0', [21, 5]],
      ['weight_hh_l0', [21, 7]],
      ['bias_ih_l0', [21]],
      ['bias_hh_l0', [21]],
      ['weight_ih_l1', [21, 7]],
      ['weight_hh_l1', [21, 7]],
      ['bias_ih_l1', [21]],
      ['bias_hh_l1', [21]],
    ]);
    expect(shapes(new LSTM(5, 7, { rng: new Rng(0), bias: false }))).toEqual([
      ['weight_ih_l0', [28, 5]],
      ['weight_hh_l0', [28, 7]],
    ]);
    expect(shapes(new GRUCell(5, 7, { rng: new Rng(0) })).map(([n]) => n)).toEqual([
      'weight_ih',
      'weight_hh',
      'bias_ih',
      'bias_hh',
    ]);
    expect(shapes(new LSTMCell(5, 7, { rng: new Rng(0) }))[1]).toEqual(['weight_hh', [28, 7]]);
  });

  it('draws every parameter from U(±1/√H) with the seed: same seed, same bits', () => {
    const a = new LSTM(3, 16, { rng: new Rng(4), numLayers: 2 }).parameters().flatMap(values);
    const b = new LSTM(3, 16, { rng: new Rng(4), numLayers: 2 }).parameters().flatMap(values);
    expect(a).toEqual(b);
    expect(Math.max(...a.map(Math.abs))).toBeLessThanOrEqual(0.25);
    expect(Math.max(...a.map(Math.abs))).toBeGreaterThan(0.24); // the whole interval is used
    expect(new LSTM(3, 16, { rng: new Rng(5) }).parameters().flatMap(values)).not.toEqual(
      a.slice(0, 3 * 64 * 4),
    );
  });

  it('defaults to one layer, biases and time-major input', () => {
    const gru = new GRU(2, 3, { rng: new Rng(0) });
    expect([gru.numLayers, gru.bias, gru.batchFirst]).toEqual([1, true, false]);
    expect(gru.forward(zeros([4, 2, 2])).shape).toEqual([4, 2, 3]);
    const { output, hN } = new GRU(2, 3, { rng: new Rng(0), batchFirst: true, numLayers: 3 }).run(
      zeros([2, 4, 2]),
    );
    expect([output.shape, hN.shape]).toEqual([
      [2, 4, 3],
      [3, 2, 3],
    ]);
  });
});

/** A cell with in = H = 1 and the given biases (weights w_ih = 0.5, w_hh = −0.25 in every block). */
function unitCell<C extends GRUCell | LSTMCell>(cell: C, biasIh: number[], biasHh: number[]): C {
  const blocks = biasIh.length;
  const state: StateDict = {
    weight_ih: tensor(new Array<number>(blocks).fill(0.5), [blocks, 1]),
    weight_hh: tensor(new Array<number>(blocks).fill(-0.25), [blocks, 1]),
    bias_ih: tensor(biasIh),
    bias_hh: tensor(biasHh),
  };
  cell.loadStateDict(state);
  return cell;
}

const X = 0.8;
const H = 0.6;
const C = -0.4;

/** dh'/d bias_ih of a one-unit GRU cell by hand, with ψ_gate and ψ_tanh standing in for σ' and tanh'. */
function gruByHand(
  bi: number[],
  bh: number[],
  psiGate: (a: number) => number,
  psiTanh: (a: number) => number,
): number[] {
  const hn = -0.25 * H + bh[2]!;
  const ar = 0.5 * X + bi[0]! - 0.25 * H + bh[0]!;
  const az = 0.5 * X + bi[1]! - 0.25 * H + bh[1]!;
  const r = sigmoid(ar);
  const z = sigmoid(az);
  const an = 0.5 * X + bi[2]! + r * hn;
  const n = Math.tanh(an);
  const dn = (1 - z) * psiTanh(an);
  return [dn * hn * psiGate(ar), (H - n) * psiGate(az), dn];
}

/** dh'/d bias_ih of a one-unit LSTM cell by hand (both tanh's take ψ_tanh). */
function lstmByHand(
  bi: number[],
  bh: number[],
  psiGate: (a: number) => number,
  psiTanh: (a: number) => number,
): number[] {
  const a = bi.map((b, k) => 0.5 * X + b - 0.25 * H + bh[k]!);
  const [i, f, g, o] = [sigmoid(a[0]!), sigmoid(a[1]!), Math.tanh(a[2]!), sigmoid(a[3]!)];
  const c = f * C + i * g;
  const dc = o * psiTanh(c);
  return [
    dc * g * psiGate(a[0]!),
    dc * C * psiGate(a[1]!),
    dc * i * psiTanh(a[2]!),
    Math.tanh(c) * psiGate(a[3]!),
  ];
}

const tiedGate = (a: number): number => sigmoid(a) * (1 - sigmoid(a));
const tiedTanh = (a: number): number => 1 - Math.tanh(a) ** 2;
const constant = (c: number) => (): number => c;

describe('recurrent layers: the gradient through each rule is the rule’s own formula', () => {
  const gruBi = [0.1, -0.3, 0.2];
  const gruBh = [0.05, 0.15, -0.1];
  const lstmBi = [0.1, -0.3, 0.2, 0.4];
  const lstmBh = [0.05, 0.15, -0.1, -0.2];

  /** dh'/d bias_ih (and, for the LSTM, dh'/d bias_ih through h' only) of one step. */
  function biasGrad(cell: GRUCell | LSTMCell, scope: (f: () => Tensor) => Tensor = (f) => f()): number[] {
    return tidy(() => {
      const x = tensor([X], [1, 1]);
      const h = tensor([H], [1, 1]);
      const out = scope(() =>
        cell instanceof GRUCell ? cell.step(x, h) : cell.step(x, { h, c: tensor([C], [1, 1]) }).h,
      );
      backward(sum(out));
      const g = values(cell.namedParameters().find(([n]) => n === 'bias_ih')![1].grad!);
      for (const p of cell.parameters()) p.grad = null;
      return g;
    });
  }

  const cases: [string, RecurrentRules, (a: number) => number, (a: number) => number][] = [
    ['tied', {}, tiedGate, tiedTanh],
    ["gates 'constant' (ψ = 1)", { gates: 'constant' }, constant(1), tiedTanh],
    [
      'gates constant c = 0.5, candidate constant c = 2',
      { gates: rule('constant', { c: 0.5 }), candidate: rule('constant', { c: 2 }) },
      constant(0.5),
      constant(2),
    ],
  ];

  it.each(cases)('GRUCell, %s', (_, rules, psiGate, psiTanh) => {
    const cell = unitCell(new GRUCell(1, 1, { rng: new Rng(0), rules }), gruBi, gruBh);
    const want = gruByHand(gruBi, gruBh, psiGate, psiTanh);
    biasGrad(cell).forEach((g, k) => expect(g).toBeCloseTo(want[k]!, 6));
  });

  it.each(cases)('LSTMCell, %s', (_, rules, psiGate, psiTanh) => {
    const cell = unitCell(new LSTMCell(1, 1, { rng: new Rng(0), rules }), lstmBi, lstmBh);
    const want = lstmByHand(lstmBi, lstmBh, psiGate, psiTanh);
    biasGrad(cell).forEach((g, k) => expect(g).toBeCloseTo(want[k]!, 6));
  });

  it("is selected by the names 'gru.gates', 'gru.candidate', 'lstm.gates', 'lstm.candidate' in withRule", () => {
    const gru = unitCell(new GRUCell(1, 1, { rng: new Rng(0) }), gruBi, gruBh);
    const lstm = unitCell(new LSTMCell(1, 1, { rng: new Rng(0) }), lstmBi, lstmBh);
    expect([gru.gates.name, gru.candidate.name, lstm.gates.name, lstm.candidate.name]).toEqual([
      'gru.gates',
      'gru.candidate',
      'lstm.gates',
      'lstm.candidate',
    ]);
    const scoped = (r: RuleLike, selector: string) => (f: () => Tensor) => withRule(r, f, selector);
    const near = (got: number[], want: number[]): void =>
      got.forEach((g, k) => expect(g).toBeCloseTo(want[k]!, 6));
    near(biasGrad(gru, scoped('constant', 'gru.gates')), gruByHand(gruBi, gruBh, constant(1), tiedTanh));
    near(biasGrad(gru, scoped('constant', 'gru.candidate')), gruByHand(gruBi, gruBh, tiedGate, constant(1)));
    near(biasGrad(gru, scoped('constant', 'lstm.gates')), gruByHand(gruBi, gruBh, tiedGate, tiedTanh));
    near(
      biasGrad(lstm, scoped('constant', 'lstm.candidate')),
      lstmByHand(lstmBi, lstmBh, tiedGate, constant(1)),
    );
  });
});

describe('recurrent layers: gradients against finite differences', () => {
  /** x (T = 3 steps, N = 2, 3 features; batch first if asked), h0 and c0 ([2 layers, N, 4]). */
  const inputs = (seed: number, batchFirst: boolean): Tensor[] => {
    const rng = new Rng(seed);
    return [randn(batchFirst ? [2, 3, 3] : [3, 2, 3], rng), randn([2, 2, 4], rng), randn([2, 2, 4], rng)];
  };
  const flat = (ts: Tensor[]): Tensor => concat(ts.map((t) => reshape(t, [-1])));

  it('GRU (2 layers): input, h0 and every parameter', () => {
    const gru = new GRU(3, 4, { rng: new Rng(1), numLayers: 2 });
    const [x, h0] = inputs(2, false);
    const run = (xs: Tensor, h: Tensor): Tensor => {
      const { output, hN } = gru.run(xs, h);
      return flat([output, hN]);
    };
    expect(gradCheck(run, [x!, h0!]).ok).toBe(true);
    const names = gru.namedParameters().map(([n]) => n);
    const withParams = (xs: Tensor, ...ps: Tensor[]): Tensor =>
      gru.callWith(Object.fromEntries(names.map((n, k) => [n, ps[k]!])), xs);
    expect(gradCheck(withParams, [x!, ...gru.parameters()]).ok).toBe(true);
  });

  it('LSTM (2 layers, batch first): input, h0, c0 and every parameter', () => {
    const lstm = new LSTM(3, 4, { rng: new Rng(1), numLayers: 2, batchFirst: true });
    const [x, h0, c0] = inputs(3, true);
    const run = (xs: Tensor, h: Tensor, c: Tensor): Tensor => {
      const { output, hN, cN } = lstm.run(xs, { h0: h, c0: c });
      return flat([output, hN, cN]);
    };
    expect(gradCheck(run, [x!, h0!, c0!]).ok).toBe(true);
    const names = lstm.namedParameters().map(([n]) => n);
    const withParams = (xs: Tensor, ...ps: Tensor[]): Tensor =>
      lstm.callWith(Object.fromEntries(names.map((n, k) => [n, ps[k]!])), xs);
    expect(gradCheck(withParams, [x!, ...lstm.parameters()]).ok).toBe(true);
  });
});
