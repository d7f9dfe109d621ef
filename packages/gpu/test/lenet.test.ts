import { describe, expect, it } from 'vitest';
import { Rng, engine, tensor, type KernelAttrs, type Tensor } from '@fbt/tensor';
import { GL_AVAILABLE, worstExcess } from './setup';

const run = (kernel: string, inputs: Tensor[], attrs: KernelAttrs = {}): Tensor =>
  engine().runKernel(kernel, inputs, attrs)[0]!;
const conv = (pad: number): KernelAttrs => ({ stride: [1, 1], padding: [pad, pad], dilation: [1, 1] });
const pool: KernelAttrs = { kernelSize: [2, 2], stride: [2, 2], padding: [0, 0] };
const tanhBackward = (g: Tensor, y: Tensor): Tensor =>
  run('mapExpr', [g, y], { expr: 'g * (1 - y * y)', names: ['g', 'y'], params: {} });

const N = 3;
const LR = 0.1;
const SHAPES = { c1: [6, 1, 5, 5], c2: [16, 6, 5, 5], f1: [400, 120], f2: [120, 84], f3: [84, 10] } as const;

/**
 * One LeNet-5 step (conv5x5→tanh→avgpool→conv5x5→tanh→avgpool→3 dense layers, softmax cross-entropy,
 * hand-written backward through the gradient kernels, SGD through `addInPlace`) on `backend`.
 * Returns the loss and the updated weights.
 */
function lenetStep(backend: string): { loss: number; weights: Record<string, Float32Array> } {
  return engine().withBackend(backend, () =>
    engine().tidy(() => {
      const rng = new Rng(7);
      const weights: Record<string, Tensor> = {};
      for (const [name, values] of Object.entries(initialWeights(rng))) {
        weights[name] = tensor(values, SHAPES[name as keyof typeof SHAPES]);
      }
      const w = (name: keyof typeof SHAPES): Tensor => weights[name]!;
      const x = tensor(rng.fillUniform(new Float32Array(N * 28 * 28)), [N, 1, 28, 28]);
      const labels = tensor(Int32Array.of(3, 7, 1), [N]);
      // forward
      const a1 = run('tanh', [run('conv2d', [x, w('c1')], conv(2))]);
      const p1 = run('avgPool2d', [a1], pool);
      const a2 = run('tanh', [run('conv2d', [p1, w('c2')], conv(0))]);
      const p2 = run('avgPool2d', [a2], pool);
      const flat = run('reshape', [p2], { shape: [N, 400] });
      const h1 = run('tanh', [run('matMul', [flat, w('f1')], { transposeA: false, transposeB: false })]);
      const h2 = run('tanh', [run('matMul', [h1, w('f2')], { transposeA: false, transposeB: false })]);
      const logits = run('matMul', [h2, w('f3')], { transposeA: false, transposeB: false });
      const onehot = run('oneHot', [labels], { depth: 10 });
      const logp = run('logSoftmax', [logits], { axis: 1 });
      const loss = -run('sum', [run('mul', [logp, onehot])], { axes: [0, 1], keepDims: false }).item() / N;
      // backward
      const dLogits = run('div', [run('sub', [run('softmax', [logits], { axis: 1 }), onehot]), tensor(N)]);
      const mm = (a: Tensor, b: Tensor, transposeA: boolean, transposeB: boolean): Tensor =>
        run('matMul', [a, b], { transposeA, transposeB });
      const grads: Record<string, Tensor> = {};
      grads.f3 = mm(h2, dLogits, true, false);
      const dh2 = tanhBackward(mm(dLogits, w('f3'), false, true), h2);
      grads.f2 = mm(h1, dh2, true, false);
      const dh1 = tanhBackward(mm(dh2, w('f2'), false, true), h1);
      grads.f1 = mm(flat, dh1, true, false);
      const dp2 = run('reshape', [mm(dh1, w('f1'), false, true)], { shape: [N, 16, 5, 5] });
      const dz2 = tanhBackward(run('avgPool2dBackward', [dp2], { ...pool, inputShape: a2.shape }), a2);
      grads.c2 = run('conv2dBackpropFilter', [p1, dz2], { ...conv(0), filterShape: SHAPES.c2 });
      const dp1 = run('conv2dBackpropInput', [dz2, w('c2')], { ...conv(0), inputShape: p1.shape });
      const dz1 = tanhBackward(run('avgPool2dBackward', [dp1], { ...pool, inputShape: a1.shape }), a1);
      grads.c1 = run('conv2dBackpropFilter', [x, dz1], { ...conv(2), filterShape: SHAPES.c1 });
      // SGD
      const updated: Record<string, Float32Array> = {};
      for (const name of Object.keys(SHAPES)) {
        engine().runInPlace('addInPlace', weights[name]!, [grads[name]!], { alpha: -LR });
        updated[name] = Float32Array.from(weights[name]!.dataSync());
      }
      return { loss, weights: updated };
    }),
  );
}

describe.skipIf(!GL_AVAILABLE)('LeNet-5 training step', () => {
  it('forward, backward and SGD on the gpu agree with the cpu step', { timeout: 60_000 }, () => {
    const cpu = lenetStep('cpu');
    const gpu = lenetStep('gpu');
    expect(Number.isFinite(cpu.loss)).toBe(true);
    expect(Math.abs(gpu.loss - cpu.loss)).toBeLessThan(1e-5 * Math.max(1, Math.abs(cpu.loss)));
    for (const name of Object.keys(SHAPES)) {
      // The update is −0.1·grad on weights of size ~0.1: an absolute 2e-6 is ~20 float32 ulps of the weights.
      expect(worstExcess(cpu.weights[name]!, gpu.weights[name]!, 2e-6, 1e-5), name).toBe(0);
    }
    // The step moved the weights (the comparison is not of untouched initial values).
    const before = initialWeights(new Rng(7)).f3!;
    expect(worstExcess(before, cpu.weights.f3!, 1e-7, 0)).toBeGreaterThan(0);
  });
});

/** He-style normal initial weights, drawn from `rng` in the order of `SHAPES`. */
function initialWeights(rng: Rng): Record<string, Float32Array> {
  const out: Record<string, Float32Array> = {};
  for (const [name, shape] of Object.entries(SHAPES) as [string, readonly number[]][]) {
    const fanIn = shape.length === 4 ? shape[1]! * shape[2]! * shape[3]! : shape[0]!;
    const size = shape.reduce((a, b) => a * b, 1);
    out[name] = rng.fillNormal(new Float32Array(size), 0, 1 / Math.sqrt(fanIn));
  }
  return out;
}
