import { describe, expect, it } from 'vitest';
import { ArgumentError, DisposedError, Rng, onesLike, tensor, type Tensor } from '@fbt/tensor';
import { Adam, AdamW, CosineAnnealingLR, Linear, SGD, StepLR, clipGradNorm, type Optimizer } from '../src';
import { values } from './helpers';

const START = [1, -2, 0.5];
const GRADS = [
  [0.5, -1, 2],
  [-0.25, 0.5, 1],
  [1, 1, -3],
];

function param(): Tensor {
  const p = tensor(START);
  p.requiresGrad = true;
  return p;
}

/** Runs three steps of `make(param)` with the fixed gradients; returns the values after each step. */
function run(make: (p: Tensor) => Optimizer): number[][] {
  const p = param();
  const storage = p.dataId;
  const opt = make(p);
  const out: number[][] = [];
  for (const g of GRADS) {
    opt.zeroGrad();
    p.grad = tensor(g);
    opt.step();
    out.push(values(p));
  }
  expect(p.dataId).toBe(storage); // updated in place, never reallocated
  return out;
}

interface SgdSettings {
  lr: number;
  momentum: number;
  dampening: number;
  nesterov: boolean;
  wd: number;
}

/** PyTorch's SGD, written out per element in float64. */
function sgdByHand(s: SgdSettings): number[][] {
  const p = [...START];
  const buf: number[] = [];
  return GRADS.map((g, t) =>
    p.map((_, i) => {
      let d = g[i]! + s.wd * p[i]!;
      if (s.momentum !== 0) {
        buf[i] = t === 0 ? d : s.momentum * buf[i]! + (1 - s.dampening) * d;
        d = s.nesterov ? d + s.momentum * buf[i]! : buf[i]!;
      }
      return (p[i] = p[i]! - s.lr * d);
    }),
  );
}

/** PyTorch's Adam / AdamW, written out per element in float64. */
function adamByHand(
  lr: number,
  b1: number,
  b2: number,
  eps: number,
  wd: number,
  decoupled: boolean,
): number[][] {
  const p = [...START];
  const m = [0, 0, 0];
  const v = [0, 0, 0];
  return GRADS.map((g, t) =>
    p.map((_, i) => {
      let d = g[i]!;
      if (decoupled) p[i] = p[i]! * (1 - lr * wd);
      else d += wd * p[i]!;
      m[i] = b1 * m[i]! + (1 - b1) * d;
      v[i] = b2 * v[i]! + (1 - b2) * d * d;
      const mHat = m[i]! / (1 - b1 ** (t + 1));
      const denom = Math.sqrt(v[i]!) / Math.sqrt(1 - b2 ** (t + 1)) + eps;
      return (p[i] = p[i]! - (lr * mHat) / denom);
    }),
  );
}

function expectClose(actual: number[][], expected: number[][]): void {
  actual.forEach((row, t) => row.forEach((v, i) => expect(v).toBeCloseTo(expected[t]![i]!, 5)));
}

describe('SGD', () => {
  it('dispose() frees the momentum buffers, and the next step starts from fresh state', () => {
    const p = tensor([1, -2, 0.5], [3]);
    p.requiresGrad = true;
    const optimizer = new SGD([p], { lr: 0.1, momentum: 0.9 });
    const stepWith = (g: number[]): void => {
      p.grad = tensor(g, [3]);
      optimizer.step();
    };
    stepWith([0.5, -1, 2]);
    optimizer.dispose();
    stepWith([-0.25, 0.5, 1]);
    // After dispose the buffer restarts at b = g: θ₀ = 1 → 0.95 → 0.95 − 0.1·(−0.25) = 0.975.
    expect(p.dataSync()[0]).toBeCloseTo(0.975, 6);
  });

  it('plain SGD: θ ← θ − lr·g', () => {
    const steps = run((p) => new SGD([p], { lr: 0.1 }));
    expect(steps[0]![0]).toBeCloseTo(0.95, 6); // 1 − 0.1·0.5
    expectClose(steps, sgdByHand({ lr: 0.1, momentum: 0, dampening: 0, nesterov: false, wd: 0 }));
  });

  it('momentum: b₁ = g₁, then b ← μb + g', () => {
    const steps = run((p) => new SGD([p], { lr: 0.1, momentum: 0.9 }));
    // Element 0: b = 0.5, 0.9·0.5 − 0.25 = 0.2, 0.9·0.2 + 1 = 1.18; θ = 0.95, 0.93, 0.812.
    expect(steps.map((s) => s[0])).toEqual([0.95, 0.93, 0.812].map((v) => expect.closeTo(v, 6)));
    expectClose(steps, sgdByHand({ lr: 0.1, momentum: 0.9, dampening: 0, nesterov: false, wd: 0 }));
  });

  it('dampening scales the new gradient after the first step', () => {
    const steps = run((p) => new SGD([p], { lr: 0.1, momentum: 0.9, dampening: 0.5 }));
    // Element 0: b = 0.5, 0.45 − 0.125 = 0.325; θ = 0.95, 0.9175.
    expect(steps[1]![0]).toBeCloseTo(0.9175, 6);
    expectClose(steps, sgdByHand({ lr: 0.1, momentum: 0.9, dampening: 0.5, nesterov: false, wd: 0 }));
  });

  it('nesterov steps along g + μb', () => {
    const steps = run((p) => new SGD([p], { lr: 0.1, momentum: 0.9, nesterov: true }));
    // Element 0, step 1: b = 0.5, direction 0.5 + 0.45 = 0.95, θ = 0.905.
    expect(steps[0]![0]).toBeCloseTo(0.905, 6);
    expectClose(steps, sgdByHand({ lr: 0.1, momentum: 0.9, dampening: 0, nesterov: true, wd: 0 }));
  });

  it('weight decay adds λθ to the gradient, with and without momentum', () => {
    const plain = run((p) => new SGD([p], { lr: 0.1, weightDecay: 0.1 }));
    expect(plain[0]![0]).toBeCloseTo(1 - 0.1 * (0.5 + 0.1), 6);
    expectClose(plain, sgdByHand({ lr: 0.1, momentum: 0, dampening: 0, nesterov: false, wd: 0.1 }));
    for (const nesterov of [false, true]) {
      const steps = run(
        (p) =>
          new SGD([p], {
            lr: 0.05,
            momentum: 0.8,
            dampening: nesterov ? 0 : 0.3,
            nesterov,
            weightDecay: 0.2,
          }),
      );
      expectClose(
        steps,
        sgdByHand({ lr: 0.05, momentum: 0.8, dampening: nesterov ? 0 : 0.3, nesterov, wd: 0.2 }),
      );
    }
  });

  it('rejects bad options', () => {
    expect(() => new SGD([param()], { lr: -1 })).toThrow(/SGD: lr=-1; expected a finite number >= 0/);
    expect(() => new SGD([param()], { lr: 0.1, nesterov: true })).toThrow(
      /nesterov needs momentum > 0 and dampening 0/,
    );
    expect(() => new SGD([param()], { lr: 0.1, momentum: NaN })).toThrow(ArgumentError);
    expect(() => new SGD([tensor(new Int32Array([1]), [1])], { lr: 0.1 })).toThrow(
      /parameter 0 .* is int32; expected float32/,
    );
  });
});

describe('Adam and AdamW', () => {
  it('Adam: the first step moves each element by lr·sign(g)', () => {
    const steps = run((p) => new Adam([p], { lr: 0.1 }));
    expect(steps[0]!.map((v) => Number(v.toFixed(5)))).toEqual([0.9, -1.9, 0.4]);
    expectClose(steps, adamByHand(0.1, 0.9, 0.999, 1e-8, 0, false));
  });

  it('Adam with L2 weight decay and custom betas', () => {
    const steps = run((p) => new Adam([p], { lr: 0.05, betas: [0.8, 0.99], eps: 1e-6, weightDecay: 0.1 }));
    expectClose(steps, adamByHand(0.05, 0.8, 0.99, 1e-6, 0.1, false));
  });

  it('AdamW decays the weights decoupled from the gradient (default λ = 0.01)', () => {
    const steps = run((p) => new AdamW([p], { lr: 0.1 }));
    // Step 1, element 0: 1·(1 − 0.1·0.01) − 0.1 = 0.899.
    expect(steps[0]![0]).toBeCloseTo(0.899, 5);
    expectClose(steps, adamByHand(0.1, 0.9, 0.999, 1e-8, 0.01, true));
    expectClose(
      run((p) => new AdamW([p], { lr: 0.02, weightDecay: 0.5 })),
      adamByHand(0.02, 0.9, 0.999, 1e-8, 0.5, true),
    );
  });

  it('skips parameters without a gradient and rejects bad betas', () => {
    const a = param();
    const b = param();
    const opt = new Adam([a, b], { lr: 0.1 });
    a.grad = tensor([1, 1, 1]);
    opt.step();
    expect(values(b)).toEqual(START);
    expect(values(a)[0]).toBeCloseTo(0.9, 5);
    opt.zeroGrad();
    expect(a.grad).toBeNull();
    expect(() => new Adam([a], { betas: [1, 0.999] })).toThrow(
      /Adam: betas\[0\]=1; expected a number in \[0, 1\)/,
    );
  });
});

describe('schedules and clipping', () => {
  it('StepLR multiplies by γ every stepSize epochs', () => {
    const opt = new SGD([param()], { lr: 1 });
    const schedule = new StepLR(opt, 2, 0.5);
    const seen = [opt.lr];
    for (let i = 0; i < 5; i++) {
      schedule.step();
      seen.push(opt.lr);
    }
    expect(seen).toEqual([1, 1, 0.5, 0.5, 0.25, 0.25]);
    expect(() => new StepLR(opt, 0)).toThrow(/stepSize=0/);
  });

  it('CosineAnnealingLR follows the half cosine from base to etaMin', () => {
    const opt = new SGD([param()], { lr: 1 });
    const schedule = new CosineAnnealingLR(opt, 4, 0.2);
    const seen: number[] = [];
    for (let i = 0; i < 4; i++) {
      schedule.step();
      seen.push(opt.lr);
    }
    const expected = [1, 2, 3, 4].map((e) => 0.2 + (0.8 * (1 + Math.cos((Math.PI * e) / 4))) / 2);
    seen.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 12));
    expect(seen[1]).toBeCloseTo(0.6, 12);
    expect(seen[3]).toBeCloseTo(0.2, 12);
  });

  it('clipGradNorm returns the total norm and rescales only when above maxNorm', () => {
    const a = param();
    const b = param();
    a.grad = tensor([3, 0, 0]);
    b.grad = tensor([0, 4, 0]);
    expect(clipGradNorm([a, b], 10)).toBeCloseTo(5, 6);
    expect(values(a.grad)).toEqual([3, 0, 0]);
    expect(clipGradNorm([a, b, param()], 1)).toBeCloseTo(5, 6);
    expect(values(a.grad)[0]).toBeCloseTo(0.6, 5);
    expect(values(b.grad)[1]).toBeCloseTo(0.8, 5);
    expect(() => clipGradNorm([a], -1)).toThrow(/maxNorm=-1/);
  });
});

describe('stepping after the model was disposed (issue 23, group 11)', () => {
  const makers: [string, (p: Tensor[]) => Optimizer][] = [
    ['SGD', (p) => new SGD(p, { lr: 0.1, momentum: 0.9 })],
    ['Adam', (p) => new Adam(p, { lr: 0.1 })],
    ['AdamW', (p) => new AdamW(p, { lr: 0.1 })],
  ];
  for (const [name, make] of makers) {
    it(`${name}.step() throws the DisposedError of any disposed tensor, and counts no step`, () => {
      const model = new Linear(2, 1, { rng: new Rng(0) });
      const optimizer = make(model.parameters());
      for (const p of model.parameters()) p.grad = onesLike(p);
      optimizer.step();
      model.dispose();
      const weight = model.parameters()[0]!;
      expect(() => weight.assertLive('read')).toThrow(DisposedError);
      expect(() => optimizer.step()).toThrow(DisposedError);
      expect(() => optimizer.step()).toThrow(
        new RegExp(`^${name}\\.step: tensor #${weight.id} 'weight' of shape \\[1, 2\\] was disposed$`),
      );
      expect(optimizer.stepCount).toBe(1);
    });
  }
});
