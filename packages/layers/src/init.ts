import { ArgumentError, formatShape, sizeOf, tensor, type Rng, type Shape, type Tensor } from '@fbt/tensor';

/** A weight initialiser: a fresh float32 tensor of `shape` drawn from `rng`. */
export type Initializer = (shape: Shape, rng: Rng) => Tensor;

/** Fan-in and fan-out of a weight shape. */
export interface Fans {
  /** Inputs per output unit: `shape[1]` times the receptive field (`kh·kw` for OIHW). */
  readonly fanIn: number;
  /** Outputs per input unit: `shape[0]` times the receptive field. */
  readonly fanOut: number;
}

/**
 * PyTorch's `_calculate_fan_in_and_fan_out`: for a `[out, in, ...kernel]` weight, fan-in is
 * `in·∏kernel` and fan-out is `out·∏kernel`. Needs rank ≥ 2.
 */
export function fans(shape: Shape): Fans {
  if (shape.length < 2) {
    throw new ArgumentError(
      `fans: weight shape ${formatShape(shape)} has rank ${shape.length}; expected rank >= 2 ([out, in, ...kernel])`,
    );
  }
  const receptive = sizeOf(shape.slice(2));
  return { fanIn: shape[1]! * receptive, fanOut: shape[0]! * receptive };
}

/** Samples U(−bound, bound) into a tensor of `shape`. */
export function uniformInit(shape: Shape, bound: number, rng: Rng): Tensor {
  if (!(bound >= 0) || !Number.isFinite(bound))
    throw new ArgumentError(`uniformInit: bound ${bound}; expected a finite number >= 0`);
  return tensor(rng.fillUniform(new Float32Array(sizeOf(shape)), -bound, bound), shape);
}

/** Samples N(0, std²) into a tensor of `shape`. */
export function normalInit(shape: Shape, std: number, rng: Rng): Tensor {
  if (!(std >= 0) || !Number.isFinite(std))
    throw new ArgumentError(`normalInit: std ${std}; expected a finite number >= 0`);
  return tensor(rng.fillNormal(new Float32Array(sizeOf(shape)), 0, std), shape);
}

/**
 * Kaiming (He) uniform with negative slope `a`: U(±gain·√(3/fanIn)), gain = √(2/(1+a²)).
 * With `a = √5` (PyTorch's default for Linear and Conv2d) the bound is exactly 1/√fanIn.
 */
export function kaimingUniform(shape: Shape, rng: Rng, a = 0): Tensor {
  const gain = Math.sqrt(2 / (1 + a * a));
  return uniformInit(shape, gain * Math.sqrt(3 / nonZeroFanIn(shape, 'kaimingUniform')), rng);
}

/** He normal (Kaiming normal, ReLU gain, fan-in mode): N(0, 2/fanIn). */
export function heNormal(shape: Shape, rng: Rng): Tensor {
  return normalInit(shape, Math.sqrt(2 / nonZeroFanIn(shape, 'heNormal')), rng);
}

/** Xavier/Glorot uniform: U(±gain·√(6/(fanIn+fanOut))). */
export function xavierUniform(shape: Shape, rng: Rng, gain = 1): Tensor {
  const { fanIn, fanOut } = fans(shape);
  return uniformInit(shape, gain * Math.sqrt(6 / Math.max(1, fanIn + fanOut)), rng);
}

/** Xavier/Glorot normal: N(0, gain²·2/(fanIn+fanOut)). */
export function xavierNormal(shape: Shape, rng: Rng, gain = 1): Tensor {
  const { fanIn, fanOut } = fans(shape);
  return normalInit(shape, gain * Math.sqrt(2 / Math.max(1, fanIn + fanOut)), rng);
}

/** PyTorch's default weight initialiser for Linear and Conv2d: Kaiming uniform with a = √5, i.e. U(±1/√fanIn). */
export const torchDefaultWeight: Initializer = (shape, rng) => kaimingUniform(shape, rng, Math.sqrt(5));

/** PyTorch's default bias for Linear and Conv2d: U(±1/√fanIn) (zero when fanIn is 0). */
export function torchDefaultBias(size: number, fanIn: number, rng: Rng): Tensor {
  return uniformInit([size], fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0, rng);
}

function nonZeroFanIn(shape: Shape, op: string): number {
  const { fanIn } = fans(shape);
  if (fanIn === 0)
    throw new ArgumentError(
      `${op}: weight shape ${formatShape(shape)} has fan-in 0; expected a positive fan-in`,
    );
  return fanIn;
}
