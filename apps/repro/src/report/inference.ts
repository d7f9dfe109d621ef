import type { LoadedRun } from '../results/records';
import { markdownTable } from './format';

/**
 * The inference table of an experiment's runs on bits: per run (config, seed) the test images, the
 * fastest float and packed passes in ms, the speed-up, whether the outputs were equal bit for bit,
 * and the layers that ran on bits, under a sentence saying what was timed; null when no run has an
 * inference timing (every experiment but those of binary models on cpu or wasm).
 */
export function inferenceSection(runs: readonly LoadedRun[]): string | null {
  const timed = runs.filter((r) => r.record.inference !== undefined);
  if (timed.length === 0) return null;
  const table = markdownTable(
    ['config', 'seed', 'images', 'float ms', 'packed ms', 'speed-up', 'outputs equal', 'layers on bits'],
    timed.map((r) => {
      const t = r.record.inference!;
      return [
        r.record.run.config,
        String(r.record.run.seed),
        String(t.images),
        t.floatMs.toFixed(1),
        t.packedMs.toFixed(1),
        `${t.speedUp.toFixed(2)}×`,
        t.outputsEqual ? 'yes' : '**no**',
        t.bitLayers.join(', '),
      ];
    }),
  );
  return [
    "Inference on the test split after training: the trained model's float forward (±1 values as float32) against its `exportBinary` form (weight signs packed, XNOR-popcount), the same batches of 1000, fastest of 3 passes after a warm-up, on the run's backend. The layers on bits ran so in training too; the others (the first, on real pixels, and the output layer) are float in both.",
    '',
    table,
  ].join('\n');
}
