import { ArgumentError, DTypeError, checkOptions, type DType, type TypedArray } from '@fbt/tensor';

/** Shape (without the batch dimension) and dtype of one sample. */
export interface SampleSpec {
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/**
 * A per-batch transform run by `DataLoader` on the inputs (`target: 'x'`) or labels (`'y'`).
 * `output` checks that the transform applies to samples of `input` (throwing otherwise) and returns
 * the sample after it; `apply` transforms `count` such samples held contiguously in `values`,
 * in place or into a new array that it returns.
 */
export interface BatchTransform {
  readonly name: string;
  readonly target: 'x' | 'y';
  output(input: SampleSpec): SampleSpec;
  apply(values: TypedArray, count: number, input: SampleSpec): TypedArray;
}

function sizeOf(shape: readonly number[]): number {
  let size = 1;
  for (const d of shape) size *= d;
  return size;
}

function requireFloat(name: string, input: SampleSpec): void {
  if (input.dtype !== 'float32') {
    throw new DTypeError(
      `${name}: got ${input.dtype} samples of shape [${input.shape.join(', ')}]; expected float32`,
    );
  }
}

function finiteNumber(value: number, what: string, name: string): number {
  if (!Number.isFinite(value)) throw new ArgumentError(`${name}: ${what}=${value}; expected a finite number`);
  return value;
}

/**
 * Multiplies every input value by `factor`, for example `scaleTransform(1 / 255)` to bring raw
 * 0..255 pixels to [0, 1] or `scaleTransform(1 / 16)` for DIGITS.
 */
export function scaleTransform(factor: number): BatchTransform {
  const name = 'scaleTransform';
  finiteNumber(factor, 'factor', name);
  return {
    name,
    target: 'x',
    output(input) {
      requireFloat(name, input);
      return input;
    },
    apply(values, count, input) {
      const n = count * sizeOf(input.shape);
      for (let i = 0; i < n; i++) values[i] = values[i]! * factor;
      return values;
    },
  };
}

/**
 * Standardises the inputs: `(v - mean) / std`. Scalars apply to every value; arrays give one
 * value per index of the sample's first axis (per channel for NCHW images, per feature for vectors).
 *
 * @example
 * normalizeTransform({ mean: 0.1307, std: 0.3081 }); // the usual MNIST statistics
 */
export function normalizeTransform(stats: {
  readonly mean: number | readonly number[];
  readonly std: number | readonly number[];
}): BatchTransform {
  const name = 'normalizeTransform';
  checkOptions(stats, { mean: true, std: true }, name);
  const mean = typeof stats.mean === 'number' ? [stats.mean] : [...stats.mean];
  const std = typeof stats.std === 'number' ? [stats.std] : [...stats.std];
  mean.forEach((m) => finiteNumber(m, 'mean', name));
  for (const s of std) {
    if (!(Number.isFinite(s) && s > 0))
      throw new ArgumentError(`${name}: std=${s}; expected finite numbers > 0`);
  }
  const channelsOf = (input: SampleSpec): number => (input.shape.length === 0 ? 1 : input.shape[0]!);
  return {
    name,
    target: 'x',
    output(input) {
      requireFloat(name, input);
      const channels = channelsOf(input);
      for (const [what, list] of [
        ['mean', mean],
        ['std', std],
      ] as const) {
        if (list.length !== 1 && list.length !== channels) {
          throw new ArgumentError(
            `${name}: ${list.length} ${what} values for samples of shape [${input.shape.join(', ')}]; expected 1 or ${channels}`,
          );
        }
      }
      return input;
    },
    apply(values, count, input) {
      const channels = channelsOf(input);
      const inner = sizeOf(input.shape) / channels;
      let i = 0;
      for (let s = 0; s < count; s++) {
        for (let c = 0; c < channels; c++) {
          const m = mean.length === 1 ? mean[0]! : mean[c]!;
          const inv = 1 / (std.length === 1 ? std[0]! : std[c]!);
          for (let k = 0; k < inner; k++, i++) values[i] = (values[i]! - m) * inv;
        }
      }
      return values;
    },
  };
}

/** Flattens each input sample to a vector: `[B, C, H, W]` batches become `[B, C·H·W]`. */
export function flattenTransform(): BatchTransform {
  return {
    name: 'flattenTransform',
    target: 'x',
    output: (input) => ({ shape: [sizeOf(input.shape)], dtype: input.dtype }),
    apply: (values) => values,
  };
}

/** Turns int32 class labels `[B]` into float32 one-hot rows `[B, numClasses]`. */
export function oneHotTransform(numClasses: number): BatchTransform {
  const name = 'oneHotTransform';
  if (!Number.isInteger(numClasses) || numClasses <= 0) {
    throw new ArgumentError(`${name}: numClasses=${numClasses}; expected a positive integer`);
  }
  return {
    name,
    target: 'y',
    output(input) {
      if (input.dtype !== 'int32' || input.shape.length !== 0) {
        throw new DTypeError(
          `${name}: got ${input.dtype} labels with sample shape [${input.shape.join(', ')}]; expected int32 labels of shape [N]`,
        );
      }
      return { shape: [numClasses], dtype: 'float32' };
    },
    apply(values, count) {
      const out = new Float32Array(count * numClasses);
      for (let i = 0; i < count; i++) {
        const label = values[i]!;
        if (!(label >= 0 && label < numClasses)) {
          throw new ArgumentError(`${name}: label ${label} in batch row ${i}; expected 0..${numClasses - 1}`);
        }
        out[i * numClasses + label] = 1;
      }
      return out;
    },
  };
}
