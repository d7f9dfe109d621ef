import { performance } from 'node:perf_hooks';
import { noGrad } from '@fbt/autograd';
import { BinaryLinear, exportBinary, PackedBinaryLinear, type Module } from '@fbt/layers';
import { keep, slice, tidy, type Tensor } from '@fbt/tensor';
import type { InferenceTiming } from '../results/records';
import type { SplitTensors } from './data';

/** Images per forward pass, as the trainer evaluates the test split. */
const BATCH = 1000;
/** Timed passes of each model; the fastest counts. */
const PASSES = 3;

/** The layers of `model` that run on bits, as `<name>: BinaryLinear <in>→<out>`. */
export function bitLayers(model: Module): string[] {
  return model
    .namedModules()
    .filter(
      (entry): entry is [string, BinaryLinear] => entry[1] instanceof BinaryLinear && entry[1].usesBitPath,
    )
    .map(([name, m]) => `${name}: BinaryLinear ${m.inFeatures}→${m.outFeatures}`);
}

/** The rows of `x` in batches of `BATCH`, each kept (the caller disposes them). */
function batchesOf(x: Tensor): Tensor[] {
  const n = x.shape[0]!;
  const rest = x.shape.slice(1);
  const batches: Tensor[] = [];
  for (let start = 0; start < n; start += BATCH) {
    const rows = Math.min(BATCH, n - start);
    batches.push(keep(slice(x, [start, ...rest.map(() => 0)], [rows, ...rest])));
  }
  return batches;
}

/** Every batch through `model` (no gradients), the outputs' float32 bits read back. */
function outputBits(model: Module, batches: readonly Tensor[]): Uint32Array[] {
  return batches.map((x) =>
    noGrad(() => tidy(() => new Uint32Array(Float32Array.from(model.call(x).dataSync()).buffer))),
  );
}

/** Milliseconds of one pass of every batch through `model` (no gradients, nothing read back). */
function timedPass(model: Module, batches: readonly Tensor[]): number {
  const start = performance.now();
  for (const x of batches) noGrad(() => tidy(() => void model.call(x)));
  return performance.now() - start;
}

function sameBits(a: readonly Uint32Array[], b: readonly Uint32Array[]): boolean {
  return (
    a.length === b.length && a.every((x, i) => x.length === b[i]!.length && x.every((v, j) => v === b[i]![j]))
  );
}

/**
 * Times a trained binary model's inference on its test split: `float` (the same parameters with
 * every BinaryLinear on its float product: ±1 values multiplied as float32) against
 * `exportBinary(model)` (the layers of `bitLayers(model)` packed: weight signs packed once,
 * XNOR-popcount), on the same batches of 1000 images, in eval mode. A warm-up pass of each gives
 * the outputs, compared bit for bit (the bit path's sums are the float product's integers, so
 * anything short of equality is a bug); then `PASSES` timed passes of each, interleaved, and the
 * fastest of each counts (`performance.now()`). For a model with layers on bits (`bitLayers`; on
 * cpu or wasm); both models are left in eval mode.
 */
export function measureInference(model: Module, float: Module, test: SplitTensors): InferenceTiming {
  const packed = exportBinary(model);
  float.eval();
  const batches = batchesOf(test.x);
  try {
    const outputsEqual = sameBits(outputBits(float, batches), outputBits(packed, batches));
    let floatMs = Infinity;
    let packedMs = Infinity;
    for (let pass = 0; pass < PASSES; pass++) {
      floatMs = Math.min(floatMs, timedPass(float, batches));
      packedMs = Math.min(packedMs, timedPass(packed, batches));
    }
    return {
      images: test.x.shape[0]!,
      floatMs,
      packedMs,
      speedUp: floatMs / packedMs,
      outputsEqual,
      bitLayers: bitLayers(model),
    };
  } finally {
    for (const x of batches) x.dispose();
    // The packed layers own their weights; every other module is shared with `model`.
    for (const m of packed.modules()) if (m instanceof PackedBinaryLinear) m.dispose();
  }
}
