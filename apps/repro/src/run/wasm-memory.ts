import { WASM_MEMORY_LIMITS } from '@fbt/tensor';
import { UsageError } from '../errors';
import { hiddenWeights } from '../experiments/config-checks';
import type { OptimizerSpec, RunSpec } from '../experiments/types';
import { parameterCount } from './workload';

/**
 * Float32 copies of every parameter a run holds at once: the weights, their gradients and the
 * optimizer's state (SGD's momentum buffer; Adam's two moments).
 */
function copiesPerParameter(optimizer: OptimizerSpec): number {
  return optimizer.name === 'adam' ? 4 : 3;
}

/**
 * Refuses, before any work, the runs on the wasm backend whose model cannot fit its memory: a
 * weight matrix of 1 GiB or more, or weights, gradients and momentum above 4 GiB together (see
 * `WASM_MEMORY_LIMITS`). Without this, such a run fails after minutes with a RangeError.
 */
export function checkWasmMemory(runs: readonly RunSpec[]): void {
  for (const run of runs) {
    if (run.backend !== 'wasm') continue;
    const { model, dataset, optimizer } = run.settings;
    const weights = hiddenWeights(run.settings);
    const largest = weights.reduce((a, w) => (w.inputs * w.width > a.inputs * a.width ? w : a), {
      index: 0,
      inputs: 0,
      width: 0,
    });
    const parameters = parameterCount(model, dataset);
    const gib = (bytes: number): string => `${(bytes / 2 ** 30).toFixed(1)} GiB`;
    const matrix = 4 * largest.inputs * largest.width;
    const held = 4 * copiesPerParameter(optimizer) * parameters;
    if (matrix < WASM_MEMORY_LIMITS.tensorBytes && held <= WASM_MEMORY_LIMITS.memoryBytes) continue;
    const what =
      matrix >= WASM_MEMORY_LIMITS.tensorBytes
        ? `its weight matrix model.hidden[${largest.index}] (${largest.width} × ${largest.inputs}) needs ${gib(matrix)}, and one tensor must stay below 1 GiB`
        : `its ${parameters} parameters need ${gib(held)} with their gradients and the optimizer's state`;
    throw new UsageError(
      `${run.experiment}/${run.config}: ${what}; the wasm backend's memory holds at most 4 GiB: use --backend cpu or a smaller model`,
    );
  }
}
