import { spawnSync } from 'node:child_process';
import type { Workload } from '../workloads';
import { parseTorchResponse, torchRequest, type TorchResponse } from './protocol';

/**
 * Runs `script` (python/torch_bench.py) once with `python` on all `workloads`, sending them as one
 * JSON request on stdin, and returns its parsed response. Throws with the script's stderr when it
 * fails.
 */
export function runTorch(
  python: string,
  script: string,
  workloads: readonly Workload[],
  threads?: readonly number[],
): TorchResponse {
  const result = spawnSync(python, [script], {
    input: JSON.stringify(torchRequest(workloads, threads)),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.status !== 0) {
    const why = result.error?.message ?? result.stderr.trim().split('\n').slice(-3).join(' | ');
    throw new Error(`${python} ${script} failed (exit ${result.status}): ${why}`);
  }
  return parseTorchResponse(result.stdout);
}
