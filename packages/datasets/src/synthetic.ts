import {
  ArgumentError,
  checkOptions,
  cosTurns,
  sinTurns,
  tensor,
  type OptionKeys,
  type Rng,
  type Tensor,
} from '@fbt/tensor';
import { toRng, type RngLike } from './random';

/** A labelled set of feature vectors: float32 `x` of shape `[n, d]`, int32 labels `y` of shape `[n]`. */
export interface LabelledSet {
  readonly x: Tensor;
  readonly y: Tensor;
}

function positiveInt(value: number, name: string, op: string): number {
  if (!Number.isInteger(value) || value <= 0)
    throw new ArgumentError(`${op}: ${name}=${value}; expected a positive integer`);
  return value;
}

function nonNegative(value: number, name: string, op: string): number {
  if (!Number.isFinite(value) || value < 0)
    throw new ArgumentError(`${op}: ${name}=${value}; expected a finite number >= 0`);
  return value;
}

function labelledSet(x: Float32Array, y: Int32Array, d: number): LabelledSet {
  return { x: tensor(x, [y.length, d]), y: tensor(y, [y.length]) };
}

/** Options every synthetic set takes: how many samples, and the randomness. */
export interface SampleOptions {
  /** Number of samples. */
  readonly n: number;
  /** Seed or generator. */
  readonly rng: RngLike;
}

const SAMPLE_KEYS: OptionKeys<SampleOptions> = { n: true, rng: true };
const TOY_KEYS: OptionKeys<ToyOptions> = { ...SAMPLE_KEYS, noise: true };

/** Options of `onesDataset`. */
export interface OnesOptions extends SampleOptions {
  /** Vector length. */
  readonly d: number;
  /** Threshold on the fraction of ones; the label is 1 when `K/d > tau`. Default 0.7. */
  readonly tau?: number;
}

/**
 * The paper's synthetic "Ones" set: binary vectors of length `d` whose Hamming weight `K` is drawn
 * uniformly from `0..d`, with the `K` ones at uniformly random positions; the label is `1[K/d > tau]`.
 *
 * @example
 * const { x, y } = onesDataset({ d: 20, n: 1000, rng: 1 }); // x: [1000, 20] of 0/1, y: [1000]
 */
export function onesDataset(options: OnesOptions): LabelledSet {
  const op = 'onesDataset';
  checkOptions(options, { ...SAMPLE_KEYS, d: true, tau: true }, op);
  const d = positiveInt(options.d, 'd', op);
  const n = positiveInt(options.n, 'n', op);
  const tau = options.tau ?? 0.7;
  if (!(tau >= 0 && tau <= 1)) throw new ArgumentError(`${op}: tau=${tau}; expected a number in [0, 1]`);
  const rng = toRng(options.rng, op);
  const x = new Float32Array(n * d);
  const y = new Int32Array(n);
  // Partial Fisher–Yates over positions: the first K entries are a uniform K-subset of 0..d-1,
  // whatever order the array was left in by the previous sample.
  const positions = new Int32Array(d);
  for (let j = 0; j < d; j++) positions[j] = j;
  for (let i = 0; i < n; i++) {
    const k = rng.int(d + 1);
    for (let j = 0; j < k; j++) {
      const pick = j + rng.int(d - j);
      const chosen = positions[pick]!;
      positions[pick] = positions[j]!;
      positions[j] = chosen;
      x[i * d + chosen] = 1;
    }
    y[i] = k / d > tau ? 1 : 0;
  }
  return labelledSet(x, y, d);
}

/** Options shared by the two-dimensional toy sets. */
export interface ToyOptions extends SampleOptions {
  /** Standard deviation of Gaussian noise added to each coordinate. */
  readonly noise?: number;
}

/**
 * XOR: points at the corners (±1, ±1) plus Gaussian noise (default 0.1); the label is 1 when the
 * corner's coordinates have different signs. Sample `i` uses corner `i mod 4`, so the classes are
 * balanced and `xor({ n: 4, noise: 0, rng })` gives the four classic points.
 */
export function xor(options: ToyOptions): LabelledSet {
  const op = 'xor';
  checkOptions(options, TOY_KEYS, op);
  const n = positiveInt(options.n, 'n', op);
  const noise = nonNegative(options.noise ?? 0.1, 'noise', op);
  const rng = toRng(options.rng, op);
  const x = new Float32Array(2 * n);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const a = i & 1 ? 1 : -1;
    const b = i & 2 ? 1 : -1;
    x[2 * i] = a + noise * rng.normal();
    x[2 * i + 1] = b + noise * rng.normal();
    y[i] = a === b ? 0 : 1;
  }
  return labelledSet(x, y, 2);
}

/**
 * Two interleaving half circles, like scikit-learn's `make_moons`: the upper moon (label 0) is
 * `(cos t, sin t)`, the lower moon (label 1) is `(1 - cos t, 0.5 - sin t)`, `t` evenly spaced in
 * [0, π], plus Gaussian noise (default 0). Even samples are upper, odd samples lower.
 */
export function twoMoons(options: ToyOptions): LabelledSet {
  const op = 'twoMoons';
  checkOptions(options, TOY_KEYS, op);
  const n = positiveInt(options.n, 'n', op);
  const noise = nonNegative(options.noise ?? 0, 'noise', op);
  const rng = toRng(options.rng, op);
  const x = new Float32Array(2 * n);
  const y = new Int32Array(n);
  const perMoon = [Math.ceil(n / 2), Math.floor(n / 2)];
  for (let i = 0; i < n; i++) {
    const moon = i & 1;
    const count = perMoon[moon]!;
    // t = π·j/(count − 1), in turns (cosTurns/sinTurns round the same in every engine)
    const turns = count > 1 ? (i >> 1) / (2 * (count - 1)) : 0;
    const px = moon === 0 ? cosTurns(turns) : 1 - cosTurns(turns);
    const py = moon === 0 ? sinTurns(turns) : 0.5 - sinTurns(turns);
    x[2 * i] = px + noise * rng.normal();
    x[2 * i + 1] = py + noise * rng.normal();
    y[i] = moon;
  }
  return labelledSet(x, y, 2);
}

/** Options of `spirals`. */
export interface SpiralOptions extends ToyOptions {
  /** Number of arms (= classes). Default 2. */
  readonly classes?: number;
  /** Turns of each arm. Default 1. */
  readonly turns?: number;
}

/**
 * Interleaved spiral arms: arm `c` holds the points `r·(cos θ, sin θ)` with radius `r` evenly
 * spaced in (0, 1] and angle `θ = 2π·(turns·r + c/classes)`, plus Gaussian noise (default 0).
 * Sample `i` lies on arm `i mod classes`, which is its label.
 */
export function spirals(options: SpiralOptions): LabelledSet {
  const op = 'spirals';
  checkOptions(options, { ...TOY_KEYS, classes: true, turns: true }, op);
  const n = positiveInt(options.n, 'n', op);
  const classes = positiveInt(options.classes ?? 2, 'classes', op);
  const turns = nonNegative(options.turns ?? 1, 'turns', op);
  const noise = nonNegative(options.noise ?? 0, 'noise', op);
  const rng = toRng(options.rng, op);
  const x = new Float32Array(2 * n);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const arm = i % classes;
    const perArm = Math.floor(n / classes) + (arm < n % classes ? 1 : 0);
    const r = (Math.floor(i / classes) + 1) / perArm;
    const angle = turns * r + arm / classes; // θ/2π
    x[2 * i] = r * cosTurns(angle) + noise * rng.normal();
    x[2 * i + 1] = r * sinTurns(angle) + noise * rng.normal();
    y[i] = arm;
  }
  return labelledSet(x, y, 2);
}

/** Options of `blobs`. */
export interface BlobOptions extends SampleOptions {
  /** The centres (one row per class), or how many to draw uniformly in `box`. Default 3. */
  readonly centers?: number | readonly (readonly number[])[];
  /** Dimension when `centers` is a count. Default 2. */
  readonly d?: number;
  /** Standard deviation of each blob. Default 1. */
  readonly std?: number;
  /** Range of the random centres. Default [-10, 10]. */
  readonly box?: readonly [number, number];
}

/**
 * Isotropic Gaussian blobs, like scikit-learn's `make_blobs`: sample `i` is drawn around centre
 * `i mod k` with standard deviation `std`, and its label is that centre's index.
 */
export function blobs(options: BlobOptions): LabelledSet {
  const op = 'blobs';
  checkOptions(options, { ...SAMPLE_KEYS, centers: true, d: true, std: true, box: true }, op);
  const n = positiveInt(options.n, 'n', op);
  const std = nonNegative(options.std ?? 1, 'std', op);
  const rng = toRng(options.rng, op);
  const centers = blobCenters(options, rng);
  const d = centers[0]!.length;
  const x = new Float32Array(n * d);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % centers.length;
    const center = centers[c]!;
    for (let j = 0; j < d; j++) x[i * d + j] = center[j]! + std * rng.normal();
    y[i] = c;
  }
  return labelledSet(x, y, d);
}

function blobCenters(options: BlobOptions, rng: Rng): readonly (readonly number[])[] {
  const op = 'blobs';
  const spec = options.centers ?? 3;
  if (typeof spec !== 'number') {
    const d = spec[0]?.length ?? 0;
    if (d === 0 || spec.some((c) => c.length !== d || c.some((v) => !Number.isFinite(v)))) {
      throw new ArgumentError(
        `${op}: centers must be a non-empty list of equally long rows of finite numbers`,
      );
    }
    return spec;
  }
  const k = positiveInt(spec, 'centers', op);
  const d = positiveInt(options.d ?? 2, 'd', op);
  const [low, high] = options.box ?? [-10, 10];
  if (!(Number.isFinite(low) && Number.isFinite(high) && low <= high)) {
    throw new ArgumentError(`${op}: box=[${low}, ${high}]; expected finite low <= high`);
  }
  return Array.from({ length: k }, () => Array.from({ length: d }, () => low + (high - low) * rng.uniform()));
}
