import { blobs, parseDigitsCsv, spirals, trainTestSplit, twoMoons, xor } from '@fbt/datasets';
import { div, scalar, tidy, type Tensor } from '@fbt/tensor';
import type { DatasetName } from './settings';

/** A data set split for training and testing, with what the model needs to know about it. */
export interface PlaygroundData {
  readonly train: { readonly x: Tensor; readonly y: Tensor };
  readonly test: { readonly x: Tensor; readonly y: Tensor };
  /** Inputs per sample. */
  readonly features: number;
  /** Number of classes. */
  readonly classes: number;
}

/** Largest pixel count of a DIGITS sample: the playground scales the pixels to [0, 1]. */
const DIGITS_MAX = 16;

function generate(
  name: Exclude<DatasetName, 'digits'>,
  seed: number,
): { x: Tensor; y: Tensor; classes: number } {
  switch (name) {
    case 'two-moons':
      return { ...twoMoons({ n: 600, noise: 0.15, rng: seed }), classes: 2 };
    case 'spirals':
      return { ...spirals({ n: 600, noise: 0.03, turns: 1, rng: seed }), classes: 2 };
    case 'xor':
      return { ...xor({ n: 400, noise: 0.3, rng: seed }), classes: 2 };
    case 'blobs':
      return { ...blobs({ n: 600, centers: 3, std: 1.5, box: [-5, 5], rng: seed }), classes: 3 };
  }
}

/**
 * The samples of a data set, split 75/25 into training and test sets with `seed`. The 2-D sets are
 * drawn by the @fbt/datasets generators; DIGITS is parsed from `digitsCsv` (the gzip CSV that
 * @fbt/datasets ships), with its pixels scaled to [0, 1].
 */
export function loadData(name: DatasetName, seed: number, digitsCsv?: Uint8Array): PlaygroundData {
  let set: { x: Tensor; y: Tensor; classes: number };
  if (name === 'digits') {
    if (digitsCsv === undefined) throw new Error('loadData: the DIGITS set needs the bytes of its CSV');
    const { features, labels } = parseDigitsCsv(digitsCsv, 'digits.csv.gz');
    set = { x: tidy(() => div(features, scalar(DIGITS_MAX))), y: labels, classes: 10 };
    features.dispose();
  } else {
    set = generate(name, seed);
  }
  const { train, test } = trainTestSplit(set.x, set.y, { testFraction: 0.25, rng: seed + 1 });
  set.x.dispose();
  set.y.dispose();
  return { train, test, features: train.x.shape[1]!, classes: set.classes };
}

/** Disposes the four tensors of a data set. */
export function disposeData(data: PlaygroundData): void {
  for (const t of [data.train.x, data.train.y, data.test.x, data.test.y]) t.dispose();
}
