import { formulaShare, serveThread, type ThreadInit } from './serve';

/** A started pool thread. */
export interface ThreadHandle {
  /** Ends the thread (asynchronously on Node). */
  terminate(): void;
}

/** The subset of Node's `worker_threads.Worker` the pool uses. */
interface NodeWorker {
  unref(): void;
  terminate(): Promise<number>;
  on(event: 'error', listener: (error: Error) => void): void;
}

interface NodeWorkerThreads {
  Worker: new (source: string, options: { eval: true; workerData: ThreadInit }) => NodeWorker;
}

interface NodeProcess {
  versions?: { node?: string };
  getBuiltinModule?: (id: string) => unknown;
}

/** Node's `process`, or undefined outside Node. */
export function nodeProcess(): NodeProcess | undefined {
  const candidate = (globalThis as { process?: NodeProcess }).process;
  return candidate?.versions?.node === undefined ? undefined : candidate;
}

/**
 * The body of every pool thread as source text for a Worker: `formulaShare` (which `serveThread`
 * calls by name), then `serveThread` as an expression to call with the `ThreadInit`.
 */
const SERVE_SOURCE = `${formulaShare.toString()};\n(${serveThread.toString()})`;

/**
 * Starts a pool thread on Node (`worker_threads`, through `process.getBuiltinModule` so the
 * package imports no Node module). The worker is unref'd: it never keeps the process alive, and
 * Node ends it at exit even while it waits for work.
 */
export function spawnNodeThread(init: ThreadInit): ThreadHandle {
  const threads = nodeProcess()!.getBuiltinModule!('node:worker_threads') as NodeWorkerThreads;
  const worker = new threads.Worker(`${SERVE_SOURCE}(require('node:worker_threads').workerData);`, {
    eval: true,
    workerData: init,
  });
  // A thread that dies outside a kernel has already counted itself out through the control block.
  worker.on('error', () => undefined);
  worker.unref();
  return { terminate: () => void worker.terminate() };
}

/** Starts a pool thread in a browser: a Web Worker from a blob URL, sent its `ThreadInit`. */
export function spawnWebThread(init: ThreadInit): ThreadHandle {
  const source = `self.onmessage = (event) => { self.onmessage = null; ${SERVE_SOURCE}(event.data); };`;
  const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  const worker = new Worker(url);
  worker.postMessage(init);
  return {
    terminate: () => {
      worker.terminate();
      URL.revokeObjectURL(url);
    },
  };
}
