import {
  ArgumentError,
  allocate,
  checkOptions,
  tensor,
  type Rng,
  type Tensor,
  type TypedArray,
} from '@fbt/tensor';
import { toRng, type RngLike } from './random';
import { assertSameRows, copyRows, rowSize } from './rows';
import type { BatchTransform, SampleSpec } from './transforms';

/** Options of `DataLoader`. */
export interface DataLoaderOptions {
  /** Rows per batch. */
  readonly batchSize: number;
  /** Reshuffle the rows at every epoch (needs `rng`). Default false: rows in order. */
  readonly shuffle?: boolean;
  /** Seed or generator for the shuffles; a generator is split once, at construction. */
  readonly rng?: RngLike;
  /** Skip the last batch when it is smaller than `batchSize`. Default false. */
  readonly dropLast?: boolean;
  /** Per-batch transforms, applied in order to the inputs (`x`) or labels (`y`). */
  readonly transforms?: readonly BatchTransform[];
  /**
   * Leave every batch alive until you dispose it yourself. Default false: the loader disposes a
   * batch's tensors when the next batch is requested and when the epoch's iteration ends (also on
   * `break` or a throw), so a training loop holds one batch at a time however long it runs.
   */
  readonly keepBatches?: boolean;
}

/** One batch: `x` and `y` hold `size` rows; `index` counts batches within the epoch from 0. */
export interface Batch {
  readonly x: Tensor;
  readonly y: Tensor;
  readonly size: number;
  readonly index: number;
}

interface Stream {
  readonly source: TypedArray;
  readonly rowSize: number;
  readonly sample: SampleSpec;
  readonly steps: readonly { readonly transform: BatchTransform; readonly input: SampleSpec }[];
  readonly output: SampleSpec;
}

function streamOf(t: Tensor, transforms: readonly BatchTransform[], target: 'x' | 'y'): Stream {
  const sample: SampleSpec = { shape: t.shape.slice(1), dtype: t.dtype };
  const steps: { transform: BatchTransform; input: SampleSpec }[] = [];
  let current = sample;
  for (const transform of transforms) {
    if (transform.target !== target) continue;
    steps.push({ transform, input: current });
    current = transform.output(current);
  }
  return { source: t.dataSync(), rowSize: rowSize(t), sample, steps, output: current };
}

/**
 * Iterates over row-aligned inputs `x` (`[N, ...]`, e.g. NCHW images) and labels `y` (`[N, ...]`)
 * in batches of tensors. Each batch is built by copying the selected rows into one freshly
 * allocated typed array per tensor (no per-sample objects); batches never share storage.
 *
 * A batch lives until the next one is requested: the loader then disposes its `x` and `y` (and
 * those of the last batch when the iteration ends, by completion, `break` or a throw), so the
 * plain `for (const batch of loader)` loop does not leak backend memory (wasm and gpu memory is
 * invisible to the garbage collector). Read what must outlive its step (`dataSync`), or
 * pass `keepBatches: true` and dispose the batches yourself.
 *
 * With `shuffle: true`, epoch `e` visits the rows in a permutation drawn from a generator forked
 * from the loader's seed with key `e`: the same seed gives the same batches in the same order, and
 * `epoch(e)` can be replayed in any order. Iterating the loader itself runs epoch 0, 1, 2, …
 *
 * @example
 * const loader = new DataLoader(train.images, train.labels, { batchSize: 128, shuffle: true, rng: 0 });
 * for (const { x, y } of loader) step(x, y); // one epoch
 */
export class DataLoader implements Iterable<Batch> {
  /** Number of rows. */
  readonly length: number;
  /** Rows per batch (the last batch may be smaller unless `dropLast`). */
  readonly batchSize: number;
  private readonly x: Stream;
  private readonly y: Stream;
  private readonly rng: Rng | null;
  private readonly dropLast: boolean;
  private readonly keepBatches: boolean;
  private nextEpoch = 0;

  constructor(x: Tensor, y: Tensor, options: DataLoaderOptions) {
    const op = 'DataLoader';
    checkOptions(
      options,
      { batchSize: true, shuffle: true, rng: true, dropLast: true, transforms: true, keepBatches: true },
      op,
    );
    assertSameRows(x, y, op);
    const { batchSize, shuffle = false, dropLast = false, transforms = [], keepBatches = false } = options;
    if (!Number.isInteger(batchSize) || batchSize <= 0) {
      throw new ArgumentError(`${op}: batchSize=${batchSize}; expected a positive integer`);
    }
    if (shuffle && options.rng === undefined) {
      throw new ArgumentError(`${op}: shuffle is true but no rng was given; expected a seed or an Rng`);
    }
    this.length = x.shape[0]!;
    this.batchSize = batchSize;
    this.dropLast = dropLast;
    this.keepBatches = keepBatches;
    this.rng = shuffle ? toRng(options.rng!, op).split() : null;
    this.x = streamOf(x, transforms, 'x');
    this.y = streamOf(y, transforms, 'y');
  }

  /** Number of batches per epoch. */
  get batchesPerEpoch(): number {
    return this.dropLast ? Math.floor(this.length / this.batchSize) : Math.ceil(this.length / this.batchSize);
  }

  /** The row order of epoch `epoch` (the identity when not shuffling). */
  order(epoch: number): Int32Array {
    if (!Number.isInteger(epoch) || epoch < 0) {
      throw new ArgumentError(`DataLoader.order: epoch=${epoch}; expected a non-negative integer`);
    }
    if (this.rng) return this.rng.fork(epoch).permutation(this.length);
    const order = new Int32Array(this.length);
    for (let i = 0; i < order.length; i++) order[i] = i;
    return order;
  }

  /**
   * The batches of epoch `epoch`; replaying an epoch gives the same batches. Unless `keepBatches`,
   * each batch is disposed when the next is requested or the iteration ends.
   */
  *epoch(epoch: number): Generator<Batch> {
    const order = this.order(epoch);
    const batches = this.batchesPerEpoch;
    let current: Batch | null = null;
    try {
      for (let index = 0; index < batches; index++) {
        this.release(current);
        const start = index * this.batchSize;
        const size = Math.min(this.batchSize, this.length - start);
        current = {
          x: this.batchOf(this.x, order, start, size),
          y: this.batchOf(this.y, order, start, size),
          size,
          index,
        };
        yield current;
      }
    } finally {
      this.release(current);
    }
  }

  /** Runs the next epoch: 0 on the first iteration, then 1, 2, … */
  [Symbol.iterator](): Iterator<Batch> {
    return this.epoch(this.nextEpoch++);
  }

  /** Disposes a batch the loader handed out, unless `keepBatches`. */
  private release(batch: Batch | null): void {
    if (batch === null || this.keepBatches) return;
    batch.x.dispose();
    batch.y.dispose();
  }

  private batchOf(stream: Stream, order: Int32Array, start: number, size: number): Tensor {
    let values = allocate(stream.sample.dtype, size * stream.rowSize);
    copyRows(stream.source, stream.rowSize, order, start, size, values);
    for (const { transform, input } of stream.steps) values = transform.apply(values, size, input);
    return tensor(values, [size, ...stream.output.shape]);
  }
}
