import type { Rng } from '@fbt/tensor';

/** One layer of a benchmark model, described independently of any framework. */
export type LayerSpec =
  | { readonly kind: 'linear'; readonly in: number; readonly out: number }
  | {
      readonly kind: 'conv';
      readonly in: number;
      readonly out: number;
      readonly size: number;
      readonly padding: number;
    }
  | { readonly kind: 'relu' }
  | { readonly kind: 'avgPool'; readonly size: number }
  | { readonly kind: 'flatten' };

/**
 * One SGD step (forward, cross-entropy loss, backward, update) of a model on one batch. Every
 * contender builds the same model from `layers`, starts from the same `params` and returns the
 * step's loss, so the first losses must agree across contenders.
 */
export interface TrainingSpec {
  readonly kind: 'trainingStep';
  readonly layers: readonly LayerSpec[];
  /** Input batch shape: `[N, features]` or `[N, C, H, W]`. */
  readonly inputShape: readonly number[];
  readonly x: Float32Array;
  /** Class labels in `[0, classes)`. */
  readonly labels: Int32Array;
  readonly classes: number;
  /** Initial weight and bias of each linear/conv layer in order, PyTorch layout (`[out, in]`, OIHW). */
  readonly params: readonly Float32Array[];
  readonly lr: number;
}

/** MLP 784-256-10 with a ReLU hidden layer. */
export const MLP: readonly LayerSpec[] = [
  { kind: 'linear', in: 784, out: 256 },
  { kind: 'relu' },
  { kind: 'linear', in: 256, out: 10 },
];

/** LeNet-5 on 28x28 inputs (first conv padded to keep 28x28), ReLU and average pooling. */
export const LENET5: readonly LayerSpec[] = [
  { kind: 'conv', in: 1, out: 6, size: 5, padding: 2 },
  { kind: 'relu' },
  { kind: 'avgPool', size: 2 },
  { kind: 'conv', in: 6, out: 16, size: 5, padding: 0 },
  { kind: 'relu' },
  { kind: 'avgPool', size: 2 },
  { kind: 'flatten' },
  { kind: 'linear', in: 400, out: 120 },
  { kind: 'relu' },
  { kind: 'linear', in: 120, out: 84 },
  { kind: 'relu' },
  { kind: 'linear', in: 84, out: 10 },
];

/** Shapes of the weight and bias of a parametrized layer, or none. */
export function paramShapes(layer: LayerSpec): number[][] {
  if (layer.kind === 'linear') return [[layer.out, layer.in], [layer.out]];
  if (layer.kind === 'conv') return [[layer.out, layer.in, layer.size, layer.size], [layer.out]];
  return [];
}

/** Floating-point operations of one forward pass (multiply-add = 2) for a batch of `inputShape`. */
export function forwardFlops(layers: readonly LayerSpec[], inputShape: readonly number[]): number {
  let shape = [...inputShape];
  let flops = 0;
  for (const layer of layers) {
    const n = shape[0]!;
    if (layer.kind === 'linear') {
      flops += 2 * n * layer.in * layer.out;
      shape = [n, layer.out];
    } else if (layer.kind === 'conv') {
      const [h, w] = [
        shape[2]! + 2 * layer.padding - layer.size + 1,
        shape[3]! + 2 * layer.padding - layer.size + 1,
      ];
      flops += 2 * n * layer.out * h * w * layer.in * layer.size * layer.size;
      shape = [n, layer.out, h, w];
    } else if (layer.kind === 'avgPool') {
      shape = [n, shape[1]!, Math.floor(shape[2]! / layer.size), Math.floor(shape[3]! / layer.size)];
    } else if (layer.kind === 'flatten') {
      shape = [n, shape.slice(1).reduce((a, b) => a * b, 1)];
    }
  }
  return flops;
}

/**
 * A training-step problem with seeded inputs in [0, 1), labels `i mod classes` and weights
 * U(±1/√fan-in) (PyTorch's default range).
 */
export function trainingSpec(
  rng: Rng,
  layers: readonly LayerSpec[],
  inputShape: readonly number[],
): TrainingSpec {
  const size = inputShape.reduce((a, b) => a * b, 1);
  const classes = 10;
  const params = layers.flatMap((layer) =>
    paramShapes(layer).map((shape) => {
      const fanIn =
        layer.kind === 'linear' ? layer.in : layer.kind === 'conv' ? layer.in * layer.size * layer.size : 1;
      const bound = 1 / Math.sqrt(fanIn);
      return rng.fillUniform(new Float32Array(shape.reduce((a, b) => a * b, 1)), -bound, bound);
    }),
  );
  return {
    kind: 'trainingStep',
    layers,
    inputShape,
    x: rng.fillUniform(new Float32Array(size), 0, 1),
    labels: Int32Array.from({ length: inputShape[0]! }, (_, i) => i % classes),
    classes,
    params,
    lr: 0.01,
  };
}
