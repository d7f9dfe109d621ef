import { describe, expect, it } from 'vitest';
import { backward, gradCheck } from '@fbt/autograd';
import {
  ArgumentError,
  Rng,
  ShapeError,
  add,
  mean,
  mul,
  reshape,
  slice,
  sum,
  tensor,
  tidy,
  type Tensor,
} from '@fbt/tensor';
import {
  Conv2d,
  Flatten,
  Leaky,
  Linear,
  MaxPool2d,
  type LeakyOptions,
  Sequential,
  TimeDistributed,
  latencyEncode,
  rateEncode,
} from '../src';
import { withRule } from '@fbt/surrogates';
import { values } from './helpers';

/** Input currents of the hand-worked neuron (β = 0.5, threshold 1): all exact in float32. */
const CURRENTS = [0.75, 0.75, 0.25];

describe('Leaky: a hand-worked 3-step neuron (β = 0.5, threshold 1, mem0 = 0)', () => {
  // step 1: mem = 0.75, no spike; step 2: mem = 0.375 + 0.75 = 1.125 ≥ 1, spike;
  // step 3 starts from 1.125 with reset R = 1: subtract 0.5625 + 0.25 − 1, zero 0 + 0.25, none 0.5625 + 0.25.
  it.each([
    ['subtract', [0.75, 1.125, -0.1875]],
    ['zero', [0.75, 1.125, 0.25]],
    ['none', [0.75, 1.125, 0.8125]],
  ] as const)('%s reset', (resetMechanism, mems) => {
    const lif = new Leaky({ beta: 0.5, resetMechanism });
    const { spikes, mems: m } = lif.run(tensor(CURRENTS, [3, 1]));
    expect(values(m)).toEqual(mems);
    expect(values(spikes)).toEqual([0, 1, 0]);
    expect(spikes.shape).toEqual([3, 1]);
    expect(values(lif.forward(tensor(CURRENTS, [3, 1])))).toEqual([0, 1, 0]);
  });

  it('step() is one step of run(), from any membrane', () => {
    const lif = new Leaky({ beta: 0.5 });
    const { spk, mem } = lif.step(tensor([0.25, 0.5]), tensor([1.125, 0.5]));
    expect(values(mem)).toEqual([0.5625 + 0.25 - 1, 0.75]);
    expect(values(spk)).toEqual([0, 0]);
    expect(values(lif.initMem([2, 3]))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(lif.initMem(tensor([1, 2])).shape).toEqual([2]);
  });

  it('starts from mem0 when given', () => {
    const lif = new Leaky({ beta: 0.5, resetMechanism: 'zero' });
    const { mems, spikes } = lif.run(tensor([0.25], [1, 1]), tensor([2], [1]));
    expect(values(mems)).toEqual([0.25]); // R = H(2 − 1) = 1 empties the membrane first
    expect(values(spikes)).toEqual([0]);
  });
});

describe('Leaky: threshold and β edge cases', () => {
  it('fires at exact equality (fbt H(0) = 1; snnTorch needs mem > threshold)', () => {
    const lif = new Leaky({ beta: 0.5, threshold: 0.5 });
    expect(values(lif.run(tensor([0.5, 0.25, 0.125], [3, 1])).spikes)).toEqual([1, 0, 0]);
    // subtract: 0.5 → spike; 0.25 + 0.25 − 0.5 = 0; 0 + 0.125 = 0.125
    expect(values(lif.run(tensor([0.5, 0.25, 0.125], [3, 1])).mems)).toEqual([0.5, 0, 0.125]);
  });

  it('β = 0 forgets the membrane (subtract still removes the threshold after a spike)', () => {
    const lif = new Leaky({ beta: 0, threshold: 1 });
    const out = lif.run(tensor([2, 0.5, 0.5], [3, 1]));
    expect(values(out.mems)).toEqual([2, 0.5 - 1, 0.5]);
    expect(values(out.spikes)).toEqual([1, 0, 0]);
  });

  it('β = 1 integrates perfectly', () => {
    const lif = new Leaky({ beta: 1, threshold: 1, resetMechanism: 'none' });
    const out = lif.run(tensor([0.25, 0.25, 0.25, 0.25, 0.25], [5, 1]));
    expect(values(out.mems)).toEqual([0.25, 0.5, 0.75, 1, 1.25]);
    expect(values(out.spikes)).toEqual([0, 0, 0, 1, 1]);
  });

  it('a tiny threshold fires on any positive input; a negative input never fires', () => {
    const lif = new Leaky({ beta: 0.9, threshold: 1e-6 });
    expect(values(lif.run(tensor([1e-3, -1, 1e-3], [3, 1])).spikes)).toEqual([1, 0, 0]);
  });

  it('clamps a learnt β outside [0, 1] to [0, 1] in the forward, as snnTorch', () => {
    const lif = new Leaky({ beta: 0.5, learnBeta: true, resetMechanism: 'none' });
    lif.loadStateDict({ beta: tensor(1.5, []), threshold: tensor(1, []) });
    expect(values(lif.run(tensor([0.25, 0.25], [2, 1])).mems)).toEqual([0.25, 0.5]);
  });
});

describe('Leaky: state dict and surrogate gradients', () => {
  it('holds beta and threshold under snnTorch names: buffers, or parameters when learnable', () => {
    const fixed = new Leaky({ beta: 0.9 });
    expect(fixed.parameters()).toEqual([]);
    expect(Object.keys(fixed.stateDict())).toEqual(['beta', 'threshold']);
    expect(fixed.beta.shape).toEqual([]);
    expect(values(fixed.beta)[0]).toBeCloseTo(0.9, 7);
    const learnt = new Leaky({ beta: 0.9, threshold: 2, learnBeta: true, learnThreshold: true });
    expect(learnt.namedParameters().map(([n]) => n)).toEqual(['beta', 'threshold']);
    expect(values(learnt.threshold)).toEqual([2]);
  });

  it('the tied rule gives an exactly zero gradient', () => {
    const lif = new Leaky({ beta: 0.9, spikeGrad: 'tied', learnBeta: true, learnThreshold: true });
    const x = tensor([0.5, 1.5, -0.25, 0.75, 0.9, 1.1], [3, 2]);
    x.requiresGrad = true;
    backward(sum(lif.forward(x)));
    expect(values(x.grad!)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(values(lif.beta.grad!)).toEqual([0]);
    expect(values(lif.threshold.grad!)).toEqual([0]);
  });

  it('one step passes the rule’s ψ(mem − threshold): atan (α = 2 default, α = 4) and fastSigmoid', () => {
    const atan = (alpha: number) => (z: number) => alpha / 2 / (1 + ((Math.PI * alpha * z) / 2) ** 2);
    const fast = (k: number) => (z: number) => 1 / (1 + k * Math.abs(z)) ** 2;
    const z = [-0.5, -0.125, 0.25, 1];
    for (const [lif, psi] of [
      [new Leaky({ beta: 0.5 }), atan(2)],
      [new Leaky({ beta: 0.5, spikeGradParams: { alpha: 4 } }), atan(4)],
      [new Leaky({ beta: 0.5, spikeGrad: 'fastSigmoid' }), fast(25)],
    ] as const) {
      const x = tensor(
        z.map((v) => v + 1),
        [1, 4],
      );
      x.requiresGrad = true;
      backward(sum(lif.forward(x)));
      values(x.grad!).forEach((g, i) => expect(g).toBeCloseTo(psi(z[i]!), 6));
    }
  });

  it('withRule swaps the spike’s rule by name without editing the layer', () => {
    const lif = new Leaky({ beta: 0.5, name: 'lif1' });
    expect(lif.spike.name).toBe('lif1');
    const x = tensor([0.75, 0.75, 0.25], [3, 1]);
    x.requiresGrad = true;
    backward(sum(withRule('tied', () => lif.forward(x), 'lif1')));
    expect(values(x.grad!)).toEqual([0, 0, 0]);
    x.grad = null;
    backward(sum(withRule('tied', () => lif.forward(x), 'other')));
    expect(values(x.grad!).every((g) => g > 0)).toBe(true);
  });

  it('backpropagates through time: d Σ mem / d input_t = Σ_{s ≥ t} β^(s−t) (reset detached)', () => {
    const lif = new Leaky({ beta: 0.5, resetMechanism: 'subtract' });
    const x = tensor([0.75, 0.75, 0.25, 0.5], [4, 1]);
    x.requiresGrad = true;
    backward(sum(lif.run(x).mems));
    expect(values(x.grad!)).toEqual([1.875, 1.75, 1.5, 1]);
  });

  it('membrane gradients match finite differences away from the thresholds', () => {
    for (const resetMechanism of ['subtract', 'zero', 'none'] as const) {
      const lif = new Leaky({ beta: 0.7, threshold: 0.6, resetMechanism, learnBeta: true });
      const x = tensor([0.3, 0.45, 0.1, -0.2, 0.9, 0.05, 0.2, 0.35], [4, 2]);
      const result = gradCheck((input) => mean(lif.run(input).mems), [x], { eps: 1e-3 });
      expect(result.ok, resetMechanism).toBe(true);
    }
  });
});

/** What the tape keeps of a recorded op (@fbt/autograd's GradNode). */
interface TapeNode {
  readonly inputs: readonly Tensor[];
  readonly saved: readonly Tensor[];
  readonly outputs: readonly Tensor[];
}

/** Distinct tensors an output's tape holds (node inputs, saved tensors and outputs), in floats. */
function tapeFloats(output: Tensor): number {
  const seen = new Set<Tensor>();
  const nodes = new Set<TapeNode>();
  const pending: Tensor[] = [output];
  while (pending.length > 0) {
    const node = pending.pop()!.gradNode as TapeNode | null;
    if (node === null || nodes.has(node)) continue;
    nodes.add(node);
    for (const t of [...node.inputs, ...node.saved, ...node.outputs]) {
      seen.add(t);
      pending.push(t);
    }
  }
  let floats = 0;
  for (const t of seen) floats += t.size;
  return floats;
}

describe('Leaky: memory of a T-step unroll', () => {
  /** Floats the tape of `forward` holds per extra step, per element of a step (n = 6). */
  const perStep = (options: LeakyOptions): number => {
    const n = 6;
    const held = (steps: number): number =>
      tidy(() => {
        const x = tensor(new Float32Array(steps * n).fill(0.5), [steps, n]);
        x.requiresGrad = true;
        return tapeFloats(new Leaky(options).forward(x));
      });
    return (held(20) - held(10)) / (10 * n);
  };

  it.each([
    // the input slice, β·mem, the pre-reset sum, reset·threshold, mem′, mem′ − threshold and the spikes,
    // + the input [T, n], its copy in blocks of ⌈√T⌉ steps (timeSteps) and the spikes [T, n]:
    // 7 + 3 tensors of n floats per step
    [{ beta: 0.9 }, 10],
    [{ beta: 0.9, resetMechanism: 'none' }, 8], // the pre-reset sum is mem′, no reset·threshold
    [{ beta: 0.9, resetMechanism: 'zero' }, 10], // 1 − R, (1 − R)·mem, β·(1 − R)·mem, mem′
    [{ beta: 0.9, learnThreshold: true }, 11], // the reset R too
  ] as [LeakyOptions, number][])('%o: %i floats per element and step', (options, floats) => {
    expect(perStep(options)).toBe(floats);
  });
});

describe('Leaky: the steps of a long input (cut in blocks of ⌈√T⌉ when it requires a gradient)', () => {
  it('gives the values and gradients of a loop of step() over separate inputs', () => {
    const steps = 11;
    const data = Float32Array.from({ length: steps * 3 }, (_, i) => 0.6 * Math.sin(1.7 * i) + 0.4);
    const weights = tensor(
      Float32Array.from({ length: steps * 3 }, (_, i) => Math.cos(i)),
      [steps, 3],
    );
    const lif = new Leaky({ beta: 0.8, threshold: 0.7, spikeGrad: 'fastSigmoid' });
    const x = tensor(data, [steps, 3]);
    x.requiresGrad = true;
    const run = lif.run(x);
    backward(add(sum(mul(run.spikes, weights)), sum(run.mems)));

    const inputs = Array.from({ length: steps }, (_, t) => {
      const input = tensor(data.slice(3 * t, 3 * t + 3), [3]);
      input.requiresGrad = true;
      return input;
    });
    let mem = lif.initMem([3]);
    const spikes: number[] = [];
    const mems: number[] = [];
    let loss: Tensor = tensor(0, []);
    inputs.forEach((input, t) => {
      const out = lif.step(input, mem);
      mem = out.mem;
      spikes.push(...values(out.spk));
      mems.push(...values(out.mem));
      loss = add(loss, add(sum(mul(out.spk, reshape(slice(weights, [t, 0], [1, 3]), [3]))), sum(out.mem)));
    });
    backward(loss);
    expect(values(run.spikes)).toEqual(spikes);
    expect(values(run.mems)).toEqual(mems);
    expect(values(x.grad!)).toEqual(inputs.flatMap((input) => values(input.grad!)));
  });
});

describe('TimeDistributed', () => {
  it('folds time into the batch: one call of the wrapped layer for all T steps', () => {
    const linear = new Linear(3, 2, { rng: new Rng(1) });
    let calls = 0;
    const counting = new (class extends Sequential {
      override forward(x: Tensor): Tensor {
        calls++;
        return super.forward(x);
      }
    })(linear);
    const td = new TimeDistributed(counting);
    const x = tensor(
      Float32Array.from({ length: 4 * 5 * 3 }, (_, i) => Math.sin(i)),
      [4, 5, 3],
    );
    const y = td.call(x);
    expect(calls).toBe(1);
    expect(y.shape).toEqual([4, 5, 2]);
    const row = values(linear.call(tensor(values(x).slice(2 * 15 + 3 * 3, 2 * 15 + 4 * 3), [1, 3])));
    expect(values(y).slice(2 * 10 + 3 * 2, 2 * 10 + 4 * 2)).toEqual(row);
    expect(td.namedParameters().map(([name]) => name)).toEqual(['module.0.weight', 'module.0.bias']);
  });
});

describe('spiking networks from the pieces', () => {
  it('a small spiking CNN: Conv2d and Linear folded over time, Leaky on [T, N, C, H, W]', () => {
    const rng = new Rng(2);
    const net = new Sequential(
      new TimeDistributed(new Conv2d(1, 2, 3, { rng })),
      new Leaky({ beta: 0.9 }),
      new TimeDistributed(new MaxPool2d(2)),
      new TimeDistributed(new Flatten()),
      new TimeDistributed(new Linear(8, 3, { rng })),
      new Leaky({ beta: 0.9 }),
    );
    const images = rateEncode(
      tensor(
        Float32Array.from({ length: 2 * 36 }, (_, i) => (i % 7) / 7),
        [2, 1, 6, 6],
      ),
      5,
      rng,
    );
    const spikes = net.call(images);
    expect(spikes.shape).toEqual([5, 2, 3]);
    backward(sum(spikes));
    for (const [name, p] of net.namedParameters()) expect(p.grad?.shape, name).toEqual(p.shape);
  });

  it('loads an snnTorch Leaky state dict non-strictly (its extra buffers ignored)', () => {
    const lif = new Leaky({ beta: 0.5 });
    lif.loadStateDict(
      {
        beta: tensor(0.25, []),
        threshold: tensor(2, []),
        graded_spikes_factor: tensor(1, []),
        reset_mechanism_val: tensor(new Int32Array([0]), []),
        mem: tensor([0]),
      },
      false,
    );
    expect(values(lif.beta)).toEqual([0.25]);
    expect(values(lif.threshold)).toEqual([2]);
  });
});

describe('rateEncode', () => {
  it('fires always at 1 and never at 0 (x clamped to [0, 1] after the gain)', () => {
    const out = rateEncode(tensor([0, 1, -3, 7, 0.5]), 4, new Rng(0), { gain: 2 });
    expect(out.shape).toEqual([4, 5]);
    const v = values(out);
    for (let t = 0; t < 4; t++) expect(v.slice(5 * t, 5 * t + 5)).toEqual([0, 1, 0, 1, 1]);
  });

  it('is reproducible: same seed, same spikes; another seed, other spikes', () => {
    const x = tensor(
      Float32Array.from({ length: 64 }, (_, i) => i / 64),
      [8, 8],
    );
    const a = values(rateEncode(x, 10, new Rng(3)));
    expect(values(rateEncode(x, 10, new Rng(3)))).toEqual(a);
    expect(values(rateEncode(x, 10, new Rng(4)))).not.toEqual(a);
  });

  it('fires at rate x over many steps', () => {
    const rates = [0.05, 0.25, 0.5, 0.8];
    const steps = 4000;
    const counts = values(sum(rateEncode(tensor(rates), steps, new Rng(11)), 0));
    // binomial standard deviation ≤ √(0.25/4000) ≈ 0.0079: 4σ
    counts.forEach((c, i) => expect(Math.abs(c / steps - rates[i]!)).toBeLessThan(0.032));
  });
});

describe('latencyEncode', () => {
  /** Step at which each element fires (−1: never), from spikes [T, n]. */
  const fireSteps = (spikes: Tensor): number[] => {
    const [steps, n] = spikes.shape as [number, number];
    const v = values(spikes);
    return Array.from({ length: n }, (_, i) => {
      const hits = Array.from({ length: steps }, (_, t) => v[t * n + i]).flatMap((s, t) =>
        s === 1 ? [t] : [],
      );
      expect(hits.length).toBeLessThanOrEqual(1);
      return hits[0] ?? -1;
    });
  };

  it('linear + normalize: snnTorch’s example (0.02, 0.5, 1 over 5 steps fire at 4, 2, 0)', () => {
    expect(fireSteps(latencyEncode(tensor([0.02, 0.5, 1]), 5, { linear: true, normalize: true }))).toEqual([
      4, 2, 0,
    ]);
  });

  it('linear: t = min(τ(1 − x), τ(1 − threshold)), rounded half to even', () => {
    // τ = 4: x = 1 → 0; 0.875 → 0.5 → 0 (even); 0.625 → 1.5 → 2; 0.25 → 3; 0 → min(4, 3.96) = 3.96 → 4
    const out = latencyEncode(tensor([1, 0.875, 0.625, 0.25, 0]), 6, { linear: true, tau: 4 });
    expect(out.shape).toEqual([6, 5]);
    expect(fireSteps(out)).toEqual([0, 0, 2, 3, 4]);
  });

  it('linear + normalize maps x > 1 onto [0, T − 1]', () => {
    // τ = T − 1 = 4: times 4·(1 − x) = −4, 0, 2, 3.96 → (t + 4)/7.96·4 = 0, 2.01, 3.02, 4
    expect(fireSteps(latencyEncode(tensor([2, 1, 0.5, 0]), 5, { linear: true, normalize: true }))).toEqual([
      0, 2, 3, 4,
    ]);
  });

  it('log code: t = τ·ln(v / (v − threshold)), v = max(x, threshold + 1e-7)', () => {
    // threshold 0.5, τ = 2: x = 1 → 2 ln 2 = 1.386 → 1; x = 0.6 → 2 ln 6 = 3.58 → 4; x = 0.75 → 2 ln 3 = 2.197 → 2
    expect(fireSteps(latencyEncode(tensor([1, 0.6, 0.75]), 6, { threshold: 0.5, tau: 2 }))).toEqual([
      1, 4, 2,
    ]);
  });

  it('log code + normalize: the latest spike on T − 1; below threshold fires last, or never with clip', () => {
    const x = tensor([1, 0.3, 0.001]);
    expect(fireSteps(latencyEncode(x, 10, { normalize: true }))).toEqual([0, 0, 9]);
    expect(fireSteps(latencyEncode(x, 10, { normalize: true, clip: true }))).toEqual([0, 0, -1]);
    // without normalize the saturated value's time ln(1e5 + 1) ≈ 11.5 rounds past T − 1: no spike
    expect(fireSteps(latencyEncode(x, 10))).toEqual([0, 0, -1]);
  });
});

describe('spiking layers refuse bad input in one line', () => {
  const x = tensor([0.5, 0.25]);
  const rng = new Rng(0);
  it.each([
    [
      'no options',
      () => new Leaky(undefined as never),
      ArgumentError,
      /Leaky: missing options; expected \{ beta, \.\.\. \}/,
    ],
    [
      'beta < 0',
      () => new Leaky({ beta: -0.1 }),
      ArgumentError,
      /Leaky: beta=-0.1; expected a number in \[0, 1\]/,
    ],
    ['beta > 1', () => new Leaky({ beta: 1.5 }), ArgumentError, /beta=1.5; expected a number in \[0, 1\]/],
    ['beta NaN', () => new Leaky({ beta: NaN }), ArgumentError, /beta=NaN/],
    [
      'threshold 0',
      () => new Leaky({ beta: 0.5, threshold: 0 }),
      ArgumentError,
      /threshold=0; expected a finite number > 0/,
    ],
    ['threshold < 0', () => new Leaky({ beta: 0.5, threshold: -1 }), ArgumentError, /threshold=-1/],
    ['threshold NaN', () => new Leaky({ beta: 0.5, threshold: NaN }), ArgumentError, /threshold=NaN/],
    [
      'unknown resetMechanism',
      () => new Leaky({ beta: 0.5, resetMechanism: 'reset' as never }),
      ArgumentError,
      /resetMechanism=reset; expected one of subtract, zero, none/,
    ],
    [
      'unknown Leaky key',
      () => new Leaky({ beta: 0.5, reset_mechanism: 'zero' } as never),
      ArgumentError,
      /reset_mechanism/,
    ],
    ['unknown spikeGrad', () => new Leaky({ beta: 0.5, spikeGrad: 'atanh' }), ArgumentError, /atanh/],
    [
      'bad learnBeta',
      () => new Leaky({ beta: 0.5, learnBeta: 1 as never }),
      ArgumentError,
      /learnBeta=1; expected true or false/,
    ],
    [
      'mem of another shape',
      () => new Leaky({ beta: 0.5 }).step(x, tensor([0, 0, 0])),
      ShapeError,
      /Leaky.step: mem of shape \[3\] for input of shape \[2\]/,
    ],
    [
      'run on a scalar',
      () => new Leaky({ beta: 0.5 }).run(tensor(1, [])),
      ShapeError,
      /expected a tensor \[T, \.\.\.\]/,
    ],
    [
      'TimeDistributed on rank 1',
      () => new TimeDistributed(new Sequential()).call(x),
      ShapeError,
      /expected \[T, N, \.\.\.\]/,
    ],
    [
      'numSteps 0',
      () => rateEncode(x, 0, rng),
      ArgumentError,
      /rateEncode: numSteps=0; expected a positive integer/,
    ],
    [
      'numSteps 2.5',
      () => latencyEncode(x, 2.5),
      ArgumentError,
      /latencyEncode: numSteps=2.5; expected a positive integer/,
    ],
    ['rate NaN input', () => rateEncode(tensor([NaN]), 3, rng), ArgumentError, /rateEncode: x contains NaN/],
    ['rate unknown key', () => rateEncode(x, 3, rng, { offset: 1 } as never), ArgumentError, /offset/],
    [
      'rate without rng',
      () => rateEncode(x, 3, undefined as never),
      ArgumentError,
      /rng is undefined; expected an Rng/,
    ],
    [
      'linear latency with x > 1',
      () => latencyEncode(tensor([0.5, 1.5]), 5, { linear: true }),
      ArgumentError,
      /x has values up to 1.5.*expected x <= 1, or normalize: true/,
    ],
    [
      'latency threshold 1',
      () => latencyEncode(x, 5, { threshold: 1 }),
      ArgumentError,
      /threshold=1; expected a number in \(0, 1\)/,
    ],
    [
      'latency tau 0',
      () => latencyEncode(x, 5, { tau: 0 }),
      ArgumentError,
      /tau=0; expected a finite number > 0/,
    ],
    ['latency unknown key', () => latencyEncode(x, 5, { epsilon: 1e-3 } as never), ArgumentError, /epsilon/],
  ] as const)('%s', (_name, fn, type, message) => {
    expect(fn).toThrow(type);
    expect(fn).toThrow(message);
  });
});
