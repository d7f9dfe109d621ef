/// <reference lib="webworker" />
import { backward } from '@fbt/autograd';
import { Rng, getBackend, ready, softmax, tensor, tidy } from '@fbt/tensor';
import { Activation, Adam, Linear, Sequential, accuracy, crossEntropy } from '@fbt/layers';
import { DataLoader, trainTestSplit, twoMoons } from '@fbt/datasets';
import { GRID_SIDE, X_RANGE, Y_RANGE, type TrainMessage, type TrainRequest } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

const post = (message: TrainMessage, transfer: Transferable[] = []): void =>
  self.postMessage(message, transfer);

/** The grid points, row by row from the top (largest y) to the bottom. */
function gridPoints(): Float32Array {
  const points = new Float32Array(2 * GRID_SIDE * GRID_SIDE);
  for (let row = 0; row < GRID_SIDE; row++) {
    for (let col = 0; col < GRID_SIDE; col++) {
      const k = row * GRID_SIDE + col;
      points[2 * k] = X_RANGE[0] + ((col + 0.5) / GRID_SIDE) * (X_RANGE[1] - X_RANGE[0]);
      points[2 * k + 1] = Y_RANGE[1] - ((row + 0.5) / GRID_SIDE) * (Y_RANGE[1] - Y_RANGE[0]);
    }
  }
  return points;
}

async function train(request: TrainRequest): Promise<void> {
  await ready();
  const { x, y } = twoMoons({ n: 600, noise: 0.15, rng: request.seed });
  const { train: trainSet, test } = trainTestSplit(x, y, { testFraction: 0.25, rng: request.seed + 1 });
  post({
    kind: 'data',
    points: Float32Array.from(trainSet.x.dataSync()),
    labels: Int32Array.from(trainSet.y.dataSync()),
    backend: getBackend(),
  });
  const rng = new Rng(request.seed);
  const model = new Sequential(
    new Linear(2, request.hidden, { rng }),
    new Activation(request.forward, request.rule),
    new Linear(request.hidden, 2, { rng }),
  );
  const optimizer = new Adam(model.parameters(), { lr: request.lr });
  const loader = new DataLoader(trainSet.x, trainSet.y, {
    batchSize: 50,
    shuffle: true,
    rng: request.seed + 2,
  });
  const grid = tensor(gridPoints(), [GRID_SIDE * GRID_SIDE, 2]);
  for (let epoch = 1; epoch <= request.epochs; epoch++) {
    model.train();
    let total = 0;
    let batches = 0;
    for (const batch of loader) {
      total += tidy(() => {
        optimizer.zeroGrad();
        const loss = crossEntropy(model.call(batch.x), batch.y);
        backward(loss);
        optimizer.step();
        return loss.item();
      });
      batches++;
    }
    model.eval();
    const testAccuracy = tidy(() => accuracy(model.call(test.x), test.y));
    const probabilities = tidy(() => {
      const p = softmax(model.call(grid), 1).dataSync();
      return Float32Array.from({ length: GRID_SIDE * GRID_SIDE }, (_, k) => p[2 * k + 1]!);
    });
    post({ kind: 'epoch', epoch, loss: total / batches, testAccuracy, grid: probabilities }, [
      probabilities.buffer,
    ]);
    // Let the page's "stop" (which terminates this worker) and its rendering keep up.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  grid.dispose();
  model.dispose();
  optimizer.dispose();
}

self.onmessage = (event: MessageEvent<TrainRequest>) => {
  train(event.data).catch((error: unknown) =>
    post({ kind: 'error', message: error instanceof Error ? error.message : String(error) }),
  );
};
