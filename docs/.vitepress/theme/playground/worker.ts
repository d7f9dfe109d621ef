/// <reference lib="webworker" />
import { backendInfo, ready } from '@fbt/tensor';
import { disposeData, loadData } from './data';
import type { TrainMessage, TrainRequest } from './protocol';
import { boundsOf, gridPoints, train } from './run';

declare const self: DedicatedWorkerGlobalScope;

const post = (message: TrainMessage, transfer: Transferable[] = []): void =>
  self.postMessage(message, transfer);

async function digitsBytes(request: TrainRequest): Promise<Uint8Array | undefined> {
  if (request.settings.data !== 'digits') return undefined;
  const response = await fetch(request.digitsUrl);
  if (!response.ok) throw new Error(`could not load ${request.digitsUrl}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

/** The backend and its kernel threads, e.g. `wasm backend, 4 threads` (1 unless the page is cross-origin isolated). */
function describeBackend(): string {
  const { name, threads } = backendInfo();
  return `${name} backend, ${threads} thread${threads === 1 ? '' : 's'}`;
}

/** Trains as the page asks, posting the data, then a report every `reportEvery` steps, then `done`. */
async function run(request: TrainRequest): Promise<void> {
  await ready();
  const data = loadData(request.settings.data, request.settings.seed, await digitsBytes(request));
  const planar = data.features === 2;
  const points = planar ? Float32Array.from(data.train.x.dataSync()) : new Float32Array(0);
  const bounds = planar ? boundsOf(points) : null;
  post({
    kind: 'data',
    points,
    labels: Int32Array.from(data.train.y.dataSync()),
    bounds,
    classes: data.classes,
    backend: describeBackend(),
  });
  const grid = bounds ? gridPoints(request.gridSide, bounds) : undefined;
  try {
    for (const report of train(request.settings, data, { reportEvery: request.reportEvery, grid })) {
      post({ kind: 'report', ...report }, report.grid ? [report.grid.buffer] : []);
      // Let the page's "stop" (which terminates this worker) and its rendering keep up.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  } finally {
    grid?.dispose();
    disposeData(data);
  }
  post({ kind: 'done' });
}

self.onmessage = (event: MessageEvent<TrainRequest>) => {
  run(event.data).catch((error: unknown) =>
    post({ kind: 'error', message: error instanceof Error ? error.message : String(error) }),
  );
};
