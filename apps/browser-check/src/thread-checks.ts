import { backward } from '@fbt/autograd';
import { Activation, AvgPool2d, Conv2d, crossEntropy, Flatten, Linear, SGD, Sequential } from '@fbt/layers';
import {
  backendInfo,
  ready,
  Rng,
  setThreads,
  tensor,
  tidy,
  withBackend,
  type BackendInfo,
} from '@fbt/tensor';

/** What the threaded-wasm check found in one engine. */
export interface ThreadCheckResult {
  /** `crossOriginIsolated` where the check ran (true in Node, which needs no isolation). */
  readonly isolated: boolean;
  /** `backendInfo('wasm')` once the check asked for the most threads and awaited `ready()`. */
  readonly info: BackendInfo;
  /** The losses of the seeded training steps for each thread count, in `threadCounts` order. */
  readonly losses: number[][];
}

/** SGD steps of the check's run: enough to show the losses moving, few enough to be quick. */
const STEPS = 4;

/**
 * A small LeNet-like network on seeded 28 x 28 inputs, batch 32: its convolutions, products and
 * pooling are all above the kernels' thread cutoffs, so the kernel threads do the work.
 */
function trainSteps(): number[] {
  const rng = new Rng(11);
  const model = new Sequential(
    new Conv2d(1, 6, 5, { rng, padding: 2 }),
    new Activation('relu'),
    new AvgPool2d(2),
    new Conv2d(6, 16, 5, { rng }),
    new Activation('relu'),
    new AvgPool2d(2),
    new Flatten(),
    new Linear(400, 120, { rng }),
    new Activation('relu'),
    new Linear(120, 10, { rng }),
  );
  const x = tensor(rng.fillUniform(new Float32Array(32 * 784), 0, 1), [32, 1, 28, 28]);
  const labels = tensor(
    Int32Array.from({ length: 32 }, (_, i) => i % 10),
    [32],
    'int32',
  );
  const optimizer = new SGD(model.parameters(), { lr: 0.05 });
  const losses: number[] = [];
  for (let step = 0; step < STEPS; step++) {
    losses.push(
      tidy(() => {
        optimizer.zeroGrad();
        const loss = crossEntropy(model.call(x), labels);
        backward(loss);
        optimizer.step();
        return loss.item();
      }),
    );
  }
  return losses;
}

/**
 * Trains the same seeded steps on the wasm backend with each of `threadCounts` kernel threads
 * (after asking for the most of them and awaiting `ready()`, which starts a browser's threads) and
 * reports the backend's thread count and reason.
 */
export async function runThreadChecks(threadCounts: readonly number[]): Promise<ThreadCheckResult> {
  setThreads(Math.max(...threadCounts));
  await ready();
  const info = backendInfo('wasm');
  const losses = threadCounts.map((threads) => {
    setThreads(threads);
    return withBackend('wasm', trainSteps);
  });
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated ?? true;
  return { isolated, info, losses };
}
