import { ArgumentError, checkOptions, type Tensor } from '@fbt/tensor';
import { assertSameRows, gatherRows } from './rows';
import { toRng, type RngLike } from './random';

/** Options of `trainTestSplit`: give exactly one of `testFraction` and `testSize`. */
export interface SplitOptions {
  /** Fraction of the rows held out, in (0, 1); the count is rounded to the nearest integer. */
  readonly testFraction?: number;
  /** Number of rows held out. */
  readonly testSize?: number;
  /** Seed or generator for the shuffle. */
  readonly rng: RngLike;
}

/** The two parts of a split, each a pair of row-aligned tensors. */
export interface Split {
  readonly train: { readonly x: Tensor; readonly y: Tensor };
  readonly test: { readonly x: Tensor; readonly y: Tensor };
}

/**
 * Shuffles the rows of `x` and `y` with a seeded permutation and holds out a test (or validation)
 * part; both parts keep the row order of the permutation. The same seed gives the same split.
 *
 * @example
 * const { train, test } = trainTestSplit(x, y, { testFraction: 0.2, rng: 0 });
 */
export function trainTestSplit(x: Tensor, y: Tensor, options: SplitOptions): Split {
  const op = 'trainTestSplit';
  checkOptions(options, { testFraction: true, testSize: true, rng: true }, op);
  assertSameRows(x, y, op);
  const n = x.shape[0]!;
  const testCount = heldOutCount(n, options, op);
  const order = toRng(options.rng, op).permutation(n);
  const trainCount = n - testCount;
  return {
    train: { x: gatherRows(x, order, 0, trainCount), y: gatherRows(y, order, 0, trainCount) },
    test: { x: gatherRows(x, order, trainCount, testCount), y: gatherRows(y, order, trainCount, testCount) },
  };
}

function heldOutCount(n: number, options: SplitOptions, op: string): number {
  const { testFraction, testSize } = options;
  if ((testFraction === undefined) === (testSize === undefined)) {
    throw new ArgumentError(
      `${op}: got testFraction=${testFraction} and testSize=${testSize}; expected exactly one`,
    );
  }
  if (testFraction !== undefined) {
    if (!(testFraction > 0 && testFraction < 1)) {
      throw new ArgumentError(`${op}: testFraction=${testFraction}; expected a number in (0, 1)`);
    }
    return Math.round(n * testFraction);
  }
  if (!Number.isInteger(testSize) || testSize! < 0 || testSize! > n) {
    throw new ArgumentError(`${op}: testSize=${testSize} for ${n} rows; expected an integer in 0..${n}`);
  }
  return testSize!;
}
