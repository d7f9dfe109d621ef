import type { LoadedRun } from '../results/records';
import { markdownTable } from './format';
import { mean } from './stats';

/**
 * The direction-probe table: per config and layer, the cosine similarity and sign agreement with the
 * tied gradient at the last epoch, averaged over seeds; null when no run has a probe.
 */
export function probeTable(runs: readonly LoadedRun[]): string | null {
  const cells = new Map<string, { config: string; layer: string; cosine: number[]; sign: number[] }>();
  for (const run of runs) {
    const last = run.metrics[run.metrics.length - 1];
    for (const p of last?.probe ?? []) {
      const key = `${run.record.run.config}\u0000${p.layer}`;
      const cell = cells.get(key) ?? { config: run.record.run.config, layer: p.layer, cosine: [], sign: [] };
      cell.cosine.push(p.cosine);
      cell.sign.push(p.signAgreement);
      cells.set(key, cell);
    }
  }
  if (cells.size === 0) return null;
  return markdownTable(
    ['config', 'layer', 'cosine to tied', 'sign agreement'],
    [...cells.values()].map((c) => [c.config, c.layer, mean(c.cosine).toFixed(3), mean(c.sign).toFixed(3)]),
  );
}
