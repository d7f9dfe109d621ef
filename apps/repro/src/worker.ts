import { parentPort, workerData } from 'node:worker_threads';
import { setThreads } from '@fbt/tensor';
import { WriteError } from './errors';
import { executeRun } from './run/execute';
import type { TaskMessage, WorkerData, WorkerMessage } from './run/messages';

/** Worker-thread entry of the `--workers` pool: trains the runs it is sent, one at a time. */
const port = parentPort;
if (port === null) throw new Error('worker.js must run as a worker thread of fbt-repro');
const { kernelThreads } = workerData as WorkerData;
setThreads(kernelThreads);
port.on('message', async (task: TaskMessage) => {
  const send = (message: WorkerMessage): void => port.postMessage(message);
  try {
    await executeRun(task.run, task.out, (metrics) => send({ type: 'epoch', index: task.index, metrics }));
    send({ type: 'done', index: task.index });
  } catch (error) {
    send({
      type: 'error',
      index: task.index,
      message: error instanceof Error ? error.message : String(error),
      writeError: error instanceof WriteError,
    });
  }
});
