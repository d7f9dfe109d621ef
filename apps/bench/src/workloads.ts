import { Rng } from '@fbt/tensor';
import { forwardFlops, LENET5, MLP, trainingSpec, type LayerSpec, type TrainingSpec } from './training';

/** A matrix product `[m, k] x [k, n]`. */
export interface MatmulSpec {
  readonly kind: 'matmul';
  readonly m: number;
  readonly k: number;
  readonly n: number;
  readonly a: Float32Array;
  readonly b: Float32Array;
}

/** A convolution `x [N, C, H, W] * w [O, C, kh, kw]` (stride 1, no padding), forward or backward. */
export interface ConvSpec {
  readonly kind: 'conv2dForward' | 'conv2dBackward';
  readonly xShape: readonly [number, number, number, number];
  readonly wShape: readonly [number, number, number, number];
  readonly yShape: readonly [number, number, number, number];
  readonly x: Float32Array;
  readonly w: Float32Array;
  /** Output gradient, used by the backward workload. */
  readonly dy: Float32Array;
}

/** One benchmark problem: its inputs and how many floating-point operations one run performs. */
export interface Workload {
  /** Stable identifier used as the JSON key. */
  readonly id: string;
  /** Human-readable description for the table. */
  readonly label: string;
  /** Floating-point operations of one run (a multiply-add counts as 2). */
  readonly flops: number;
  readonly spec: MatmulSpec | ConvSpec | TrainingSpec;
}

function randomValues(rng: Rng, size: number): Float32Array {
  return rng.fillUniform(new Float32Array(size), -1, 1);
}

function matmulWorkload(rng: Rng, m: number, k: number, n: number): Workload {
  return {
    id: `matmul-${m}x${k}x${n}`,
    label: `matmul ${m}x${k} · ${k}x${n}`,
    flops: 2 * m * k * n,
    spec: { kind: 'matmul', m, k, n, a: randomValues(rng, m * k), b: randomValues(rng, k * n) },
  };
}

function convWorkloads(rng: Rng): Workload[] {
  const [n, c, h, w, o, kh, kw] = [64, 6, 14, 14, 16, 5, 5];
  const [oh, ow] = [h - kh + 1, w - kw + 1];
  const base = {
    xShape: [n, c, h, w] as const,
    wShape: [o, c, kh, kw] as const,
    yShape: [n, o, oh, ow] as const,
    x: randomValues(rng, n * c * h * w),
    w: randomValues(rng, o * c * kh * kw),
    dy: randomValues(rng, n * o * oh * ow),
  };
  const forwardFlops = 2 * n * o * oh * ow * c * kh * kw;
  const shape = `${n}x${c}x${h}x${w} * ${o}x${c}x${kh}x${kw}`;
  return [
    {
      id: 'conv2d-lenet-forward',
      label: `conv2d fwd ${shape}`,
      flops: forwardFlops,
      spec: { kind: 'conv2dForward', ...base },
    },
    {
      id: 'conv2d-lenet-backward',
      label: `conv2d bwd (dx+dw) ${shape}`,
      flops: 2 * forwardFlops,
      spec: { kind: 'conv2dBackward', ...base },
    },
  ];
}

/** One SGD step of a model; its FLOPs are counted as three forward passes (forward, two gradient GEMMs). */
function trainingWorkload(
  rng: Rng,
  id: string,
  label: string,
  layers: readonly LayerSpec[],
  inputShape: number[],
): Workload {
  return {
    id,
    label,
    flops: 3 * forwardFlops(layers, inputShape),
    spec: trainingSpec(rng, layers, inputShape),
  };
}

/** The benchmark's workloads, with inputs drawn from a fixed seed. */
export function createWorkloads(seed = 1): Workload[] {
  const rng = new Rng(seed);
  return [
    matmulWorkload(rng, 128, 784, 256),
    matmulWorkload(rng, 256, 256, 256),
    ...convWorkloads(rng),
    trainingWorkload(rng, 'train-mlp-784-256-10', 'train step MLP 784-256-10, batch 128', MLP, [128, 784]),
    trainingWorkload(rng, 'train-lenet5', 'train step LeNet-5, batch 64', LENET5, [64, 1, 28, 28]),
  ];
}
