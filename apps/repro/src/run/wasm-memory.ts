import { WASM_MEMORY_LIMITS } from '@fbt/tensor';
import { UsageError } from '../errors';
import { hiddenWeights } from '../experiments/config-checks';
import type { RunSpec } from '../experiments/types';

/** Float32 copies of every parameter a run holds at once: the weights, their gradients and the momentum buffers. */
const COPIES_PER_PARAMETER = 3;

/**
 * Refuses, before any work, the runs on the wasm backend whose model cannot fit its memory: a
 * weight matrix of 1 GiB or more, or weights, gradients and momentum above 4 GiB together (see
 * `WASM_MEMORY_LIMITS`). Without this, such a run fails after minutes with a RangeError.
 */
export function checkWasmMemory(runs: readonly RunSpec[]): void {
  for (const run of runs) {
    if (run.backend !== 'wasm') continue;
    const weights = hiddenWeights(run.settings);
    if (weights.length === 0) continue;
    const largest = weights.reduce((a, w) => (w.inputs * w.width > a.inputs * a.width ? w : a));
    const parameters = weights.reduce((sum, w) => sum + w.inputs * w.width + w.width, 0);
    const gib = (bytes: number): string => `${(bytes / 2 ** 30).toFixed(1)} GiB`;
    const matrix = 4 * largest.inputs * largest.width;
    const held = 4 * COPIES_PER_PARAMETER * parameters;
    if (matrix < WASM_MEMORY_LIMITS.tensorBytes && held <= WASM_MEMORY_LIMITS.memoryBytes) continue;
    const what =
      matrix >= WASM_MEMORY_LIMITS.tensorBytes
        ? `its weight matrix model.hidden[${largest.index}] (${largest.width} × ${largest.inputs}) needs ${gib(matrix)}, and one tensor must stay below 1 GiB`
        : `its ${parameters} parameters need ${gib(held)} with their gradients and momentum`;
    throw new UsageError(
      `${run.experiment}/${run.config}: ${what}; the wasm backend's memory holds at most 4 GiB: use --backend cpu or a smaller model`,
    );
  }
}
