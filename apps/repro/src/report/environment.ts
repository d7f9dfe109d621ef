import type { LoadedRun } from '../results/records';
import { markdownTable } from './format';

/** The environment section: every distinct value recorded in the runs' config.json files. */
export function environmentTable(runs: readonly LoadedRun[]): string {
  const values = new Map<string, Set<string>>();
  const add = (key: string, value: string): void => {
    const set = values.get(key) ?? new Set<string>();
    set.add(value);
    values.set(key, set);
  };
  for (const { record } of runs) {
    const e = record.environment;
    add('Node.js', e.node);
    add('platform', `${e.platform} ${e.arch}`);
    add('CPU', `${e.cpu} (${e.cpuCount} logical cores)`);
    const mode = e.backendMode ?? null;
    add(
      'backend',
      mode === null ? e.backend : `${e.backend} (${e.backend === 'gpu' ? 'gpu.js mode' : 'module'} ${mode})`,
    );
    for (const [name, version] of Object.entries(e.packages)) add(name, version);
  }
  return markdownTable(
    ['', 'value(s) recorded in the runs'],
    [...values].map(([key, set]) => [key, [...set].sort().join(', ')]),
  );
}
