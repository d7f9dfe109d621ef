import { describe, expect, it } from 'vitest';
import { backward, gradCheck } from '@fbt/autograd';
import { rule, withRule, type RuleLike } from '@fbt/surrogates';
import {
  ArgumentError,
  DTypeError,
  Rng,
  ShapeError,
  concat,
  gather,
  randn,
  reshape,
  slice,
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

describe('recurrent layers: bad input is refused in one line', () => {
  const rng = new Rng(0);
  const gru = new GRU(5, 7, { rng, numLayers: 2 });
  const lstm = new LSTM(5, 7, { rng, batchFirst: true });
  const gruCell = new GRUCell(5, 7, { rng });
  const lstmCell = new LSTMCell(5, 7, { rng });
  const h = zeros([3, 7]);

  const cases: [string, () => unknown, ErrorConstructor | typeof ShapeError, RegExp][] = [
    [
      'a rank-2 sequence',
      () => gru.forward(zeros([4, 5])),
      ShapeError,
      /^GRU: input of shape \[4, 5\]; expected \[T, N, 5\] with T, N >= 1$/,
    ],
    [
      'the wrong feature size',
      () => gru.run(zeros([4, 3, 6])),
      ShapeError,
      /^GRU: input of shape \[4, 3, 6\]; expected \[T, N, 5\]/,
    ],
    [
      'an empty sequence',
      () => gru.run(zeros([0, 3, 5])),
      ShapeError,
      /^GRU: input of shape \[0, 3, 5\]; expected \[T, N, 5\] with T, N >= 1$/,
    ],
    [
      'a batch-first input of the wrong size',
      () => lstm.run(zeros([3, 4, 2])),
      ShapeError,
      /^LSTM: input of shape \[3, 4, 2\]; expected \[N, T, 5\]/,
    ],
    [
      'an int32 input',
      () => gru.run(zeros([4, 3, 5], 'int32')),
      DTypeError,
      /^GRU: input has dtype int32; expected float32$/,
    ],
    [
      'a non-tensor input',
      () => gru.run([1, 2] as never),
      ShapeError,
      /^GRU: input of value 1,2; expected \[T, N, 5\]/,
    ],
    [
      'h0 of the wrong shape',
      () => gru.run(zeros([4, 3, 5]), zeros([1, 3, 7])),
      ShapeError,
      /^GRU: h0 of shape \[1, 3, 7\]; expected \[2, 3, 7\] \(\[numLayers, N, hiddenSize\]\)$/,
    ],
    [
      'a missing c0',
      () => lstm.run(zeros([3, 4, 5]), { h0: zeros([1, 3, 7]) } as never),
      ShapeError,
      /^LSTM: c0 of value undefined; expected \[1, 3, 7\]/,
    ],
    [
      'an LSTM state that is not an object',
      () => lstm.run(zeros([3, 4, 5]), zeros([1, 3, 7]) as never),
      ShapeError,
      /^LSTM: h0 of value undefined; expected \[1, 3, 7\]/,
    ],
    [
      'a rank-3 cell input',
      () => gruCell.forward(zeros([1, 3, 5])),
      ShapeError,
      /^GRUCell: input of shape \[1, 3, 5\]; expected \[N, 5\] with N >= 1$/,
    ],
    [
      'a cell h of the wrong batch',
      () => gruCell.step(zeros([2, 5]), h),
      ShapeError,
      /^GRUCell: h of shape \[3, 7\]; expected \[2, 7\] \(\[N, hiddenSize\]\)$/,
    ],
    [
      'a cell c of the wrong size',
      () => lstmCell.step(zeros([3, 5]), { h, c: zeros([3, 6]) }),
      ShapeError,
      /^LSTMCell: c of shape \[3, 6\]; expected \[3, 7\]/,
    ],
    [
      'a missing cell state',
      () => lstmCell.step(zeros([3, 5]), undefined as never),
      ArgumentError,
      /^LSTMCell: state is undefined; expected \{ h, c \}$/,
    ],
    [
      'an unknown option',
      () => new GRU(5, 7, { rng, dropout: 0.5 } as never),
      ArgumentError,
      /^GRU: unknown option 'dropout'; valid options: rng, bias, rules, numLayers, batchFirst$/,
    ],
    [
      'a sequence option on a cell',
      () => new LSTMCell(5, 7, { rng, numLayers: 2 } as never),
      ArgumentError,
      /^LSTMCell: unknown option 'numLayers'; valid options: rng, bias, rules$/,
    ],
    [
      'an unknown rules key',
      () => new LSTM(5, 7, { rng, rules: { gate: 'constant' } as never }),
      ArgumentError,
      /^LSTM rules: unknown option 'gate'; valid options: gates, candidate$/,
    ],
    [
      'an unknown rule',
      () => new GRU(5, 7, { rng, rules: { candidate: 'nope' } }),
      ArgumentError,
      /unknown backward rule 'nope'/,
    ],
    [
      'no rng',
      () => new GRUCell(5, 7, {} as never),
      ArgumentError,
      /^GRUCell: options.rng is undefined; expected an Rng$/,
    ],
    [
      'hiddenSize 0',
      () => new GRU(5, 0, { rng }),
      ArgumentError,
      /^GRU: hiddenSize=0; expected a positive integer$/,
    ],
    [
      'a negative inputSize',
      () => new LSTMCell(-1, 7, { rng }),
      ArgumentError,
      /^LSTMCell: inputSize=-1; expected a positive integer$/,
    ],
    [
      'numLayers 0',
      () => new LSTM(5, 7, { rng, numLayers: 0 }),
      ArgumentError,
      /^LSTM: numLayers=0; expected a positive integer$/,
    ],
    [
      'a fractional numLayers',
      () => new GRU(5, 7, { rng, numLayers: 1.5 }),
      ArgumentError,
      /^GRU: numLayers=1.5; expected a positive integer$/,
    ],
    [
      'a non-boolean batchFirst',
      () => new GRU(5, 7, { rng, batchFirst: 1 as never }),
      ArgumentError,
      /^GRU: batchFirst=1; expected true or false$/,
    ],
    [
      'a non-boolean bias',
      () => new GRUCell(5, 7, { rng, bias: 'no' as never }),
      ArgumentError,
      /^GRUCell: bias=no; expected true or false$/,
    ],
  ];

  it.each(cases)('%s', (_, call, type, message) => {
    let error: unknown;
    try {
      call();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(type);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });
});

/**
 * A seeded memory task: T steps of N(0, 0.5²) noise, except that step 0 carries the class as ±1;
 * the class must be carried through the T − 1 noisy steps to the end.
 */
function memoryTask(n: number, steps: number, seed: number): { x: Tensor; y: Tensor } {
  const rng = new Rng(seed);
  const x = rng.fillNormal(new Float32Array(steps * n), 0, 0.5);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = rng.uniform() < 0.5 ? 0 : 1;
    x[i] = y[i] === 1 ? 1 : -1; // row t·N + i of the time-major [T, N, 1] input, t = 0
  }
  return { x: tensor(x, [steps, n, 1]), y: tensor(y, [n]) };
}

/** A recurrent layer read out by a linear layer from its last layer's final hidden state. */
class LastState extends Module {
  constructor(
    readonly recurrent: GRU | LSTM,
    readonly readout: Linear,
  ) {
    super();
    this.registerModule('recurrent', recurrent);
    this.registerModule('readout', readout);
  }

  override forward(x: Tensor): Tensor {
    const { hN } = this.recurrent.run(x);
    const [layers, n, hidden] = hN.shape as [number, number, number];
    return this.readout.call(reshape(slice(hN, [layers - 1, 0, 0], [1, n, hidden]), [n, hidden]));
  }
}

/** Trains `model` with Adam (lr 0.02, batches of 32, seeded order) and returns its test accuracy. */
function trainMemory(model: Module, epochs: number): number {
  const train = memoryTask(512, 10, 1);
  const test = memoryTask(256, 10, 2);
  const optimizer = new Adam(model.parameters(), { lr: 0.02 });
  const order = new Rng(3);
  for (let epoch = 0; epoch < epochs; epoch++) {
    const perm = order.permutation(512);
    for (let start = 0; start < 512; start += 32) {
      tidy(() => {
        const index = tensor(perm.slice(start, start + 32), [32]);
        optimizer.zeroGrad();
        backward(crossEntropy(model.call(gather(train.x, index, 1)), gather(train.y, index)));
        optimizer.step();
      });
    }
  }
  return tidy(() => accuracy(model.call(test.x), test.y));
}

describe('recurrent layers: training', () => {
  it.each([
    ['GRU, tied', () => new GRU(1, 16, { rng: new Rng(0) })],
    ["GRU, gates 'constant'", () => new GRU(1, 16, { rng: new Rng(0), rules: { gates: 'constant' } })],
    ['LSTM (2 layers), tied', () => new LSTM(1, 16, { rng: new Rng(0), numLayers: 2 })],
  ])(
    '%s carries the class over 9 noisy steps (test accuracy >= 0.95, chance 0.5)',
    (_, build) => {
      const model = new LastState(build(), new Linear(16, 2, { rng: new Rng(1) }));
      const acc = trainMemory(model, 6);
      expect(acc).toBeGreaterThanOrEqual(0.95);
    },
    60_000,
  );
});
