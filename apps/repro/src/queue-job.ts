import { processRunJob, type RunJobHandle } from './queue/process';
import type { RunJobResult } from './queue/jobs';

/**
 * Sandboxed BullMQ processor of `fbt-repro worker`: each job trains in a worker thread of its own,
 * so the worker's main thread keeps renewing job locks while an epoch computes.
 */
export default function processSandboxedJob(job: RunJobHandle): Promise<RunJobResult> {
  return processRunJob(job);
}
