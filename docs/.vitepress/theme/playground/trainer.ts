import { shallowRef, type ShallowRef } from 'vue';
import type { TrainMessage, TrainRequest } from './protocol';
import type { Bounds, LayerCosine } from './run';

/** The training points of a 2-D set, for the decision-boundary canvas. */
export interface PlottedData {
  readonly points: Float32Array;
  readonly labels: Int32Array;
  readonly bounds: Bounds | null;
  readonly classes: number;
}

/** One point of a run's curves. */
export interface CurvePoint {
  readonly step: number;
  readonly loss: number;
  readonly testAccuracy: number;
  readonly cosines: readonly LayerCosine[];
}

/** A training run in its own Web Worker, as reactive state for the page. */
export interface Trainer {
  /** True from `start` until the run ends, fails or is stopped. */
  readonly running: ShallowRef<boolean>;
  /** The backend the worker trains on and its kernel threads, once it said. */
  readonly backend: ShallowRef<string>;
  /** Why the run failed, or ''. */
  readonly error: ShallowRef<string>;
  /** The data set, once the worker sent it. */
  readonly data: ShallowRef<PlottedData | null>;
  /** Every report so far. */
  readonly curve: ShallowRef<readonly CurvePoint[]>;
  /** The latest class probabilities on the grid (2-D sets). */
  readonly grid: ShallowRef<Float32Array | null>;
  /** Starts a fresh run (stopping the current one). */
  start(request: TrainRequest): void;
  /** Stops the run (terminates its worker). */
  stop(): void;
  /** Stops and forgets the last run's results. */
  clear(): void;
}

/** A trainer that runs `worker.ts` in a module Web Worker. */
export function createTrainer(): Trainer {
  const running = shallowRef(false);
  const backend = shallowRef('');
  const error = shallowRef('');
  const data = shallowRef<PlottedData | null>(null);
  const curve = shallowRef<readonly CurvePoint[]>([]);
  const grid = shallowRef<Float32Array | null>(null);
  let worker: Worker | null = null;

  function stop(): void {
    worker?.terminate();
    worker = null;
    running.value = false;
  }

  function clear(): void {
    stop();
    error.value = '';
    data.value = null;
    curve.value = [];
    grid.value = null;
  }

  function onMessage(message: TrainMessage): void {
    if (message.kind === 'data') {
      const { points, labels, bounds, classes } = message;
      data.value = { points, labels, bounds, classes };
      backend.value = message.backend;
    } else if (message.kind === 'report') {
      const { step, loss, testAccuracy, cosines } = message;
      curve.value = [...curve.value, { step, loss, testAccuracy, cosines }];
      grid.value = message.grid ?? null;
    } else if (message.kind === 'done') {
      stop();
    } else {
      error.value = message.message;
      stop();
    }
  }

  function start(request: TrainRequest): void {
    clear();
    worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<TrainMessage>) => onMessage(event.data);
    worker.onerror = (event) => {
      error.value = event.message || 'the worker failed to start';
      stop();
    };
    worker.postMessage(request);
    running.value = true;
  }

  return { running, backend, error, data, curve, grid, start, stop, clear };
}
