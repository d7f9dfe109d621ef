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

/**
 * A product of ±1 matrices `[m, k] x [n, k]ᵀ` by XNOR-popcount: `b` (the weights) packed once, `a`
 * packed in every run.
 */
export interface BinaryMatmulSpec {
  readonly kind: 'binaryMatmul';
  readonly m: number;
  readonly k: number;
  readonly n: number;
  /** ±1 values `[m, k]`. */
  readonly a: Float32Array;
  /** ±1 values `[n, k]`. */
  readonly b: Float32Array;
}

/**
 * The forward pass of an MLP on a ±1 batch, sign activations between its bias-free layers of ±1
 * weights: packed (`exportBinary` of `BinaryLinear`s with `binaryInput`) or float (`Linear`s).
 */
export interface MlpForwardSpec {
  readonly kind: 'mlpForward';
  readonly binary: boolean;
  /** Layer widths, input first. */
  readonly widths: readonly number[];
  readonly batch: number;
  /** ±1 input `[batch, widths[0]]`. */
  readonly x: Float32Array;
  /** ±1 weights of each layer, `[out, in]`. */
  readonly weights: readonly Float32Array[];
}

/** One benchmark problem: its inputs and how many floating-point operations one run performs. */
export interface Workload {
  /** Stable identifier used as the JSON key. */
  readonly id: string;
  /** Human-readable description for the table. */
  readonly label: string;
  /** Floating-point operations of one run (a multiply-add counts as 2; a binary one too). */
  readonly flops: number;
  /** For a `binary-` workload: the id of its float twin (same shapes), which the float ÷ binary ratios refer to. */
  readonly twin?: string;
  readonly spec: MatmulSpec | ConvSpec | TrainingSpec | BinaryMatmulSpec | MlpForwardSpec;
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

/** Seeded ±1 values (the signs of uniform draws). */
function signValues(rng: Rng, size: number): Float32Array {
  return randomValues(rng, size).map((v) => (v >= 0 ? 1 : -1));
}

/** `binary-gemm-MxKxN`, the binary twin of `matmul-MxKxN`. */
function binaryGemmWorkload(rng: Rng, m: number, k: number, n: number): Workload {
  return {
    id: `binary-gemm-${m}x${k}x${n}`,
    label: `binary gemm ${m}x${k} · (${n}x${k})ᵀ`,
    flops: 2 * m * k * n,
    twin: `matmul-${m}x${k}x${n}`,
    spec: { kind: 'binaryMatmul', m, k, n, a: signValues(rng, m * k), b: signValues(rng, n * k) },
  };
}

/** The MLP forward pass `widths` at `batch`, float and binary (the same ±1 values, so the same outputs). */
function mlpForwardWorkloads(rng: Rng, widths: readonly number[], batch: number): Workload[] {
  const x = signValues(rng, batch * widths[0]!);
  const weights = widths.slice(1).map((out, i) => signValues(rng, out * widths[i]!));
  const flops = 2 * batch * widths.slice(1).reduce((s, out, i) => s + out * widths[i]!, 0);
  const shape = widths.join('-');
  const spec = { kind: 'mlpForward', widths, batch, x, weights } as const;
  return [
    {
      id: `mlp-forward-${shape}`,
      label: `MLP ${shape} forward (float ±1), batch ${batch}`,
      flops,
      spec: { ...spec, binary: false },
    },
    {
      id: 'binary-mlp-forward',
      label: `MLP ${shape} forward (packed binary), batch ${batch}`,
      flops,
      twin: `mlp-forward-${shape}`,
      spec: { ...spec, binary: true },
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
    matmulWorkload(rng, 256, 1024, 1024),
    binaryGemmWorkload(rng, 128, 784, 256),
    binaryGemmWorkload(rng, 256, 1024, 1024),
    ...mlpForwardWorkloads(rng, [784, 4096, 4096, 10], 128),
  ];
}
