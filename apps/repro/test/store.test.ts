import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../src/results/atomic';
import { isRunComplete, readRun } from '../src/results/store';

function loadRun(dir: string) {
  const reading = readRun(dir);
  if (!reading.ok) throw new Error(reading.reason);
  return reading.run;
}
import { suc } from './fixtures';
import { tempDir } from './helpers';

describe('writeFileAtomic', () => {
  it('creates parent folders, replaces the file whole and leaves no temporary file', () => {
    const dir = tempDir();
    const path = join(dir, 'a', 'b', 'file.txt');
    writeFileAtomic(path, 'first');
    writeFileAtomic(path, 'second');
    expect(readFileSync(path, 'utf8')).toBe('second');
    expect(readdirSync(join(dir, 'a', 'b'))).toEqual(['file.txt']);
  });

  it('leaves the old file intact and no temporary file when the write fails', () => {
    const dir = tempDir();
    const path = join(dir, 'file.txt');
    writeFileAtomic(path, 'kept');
    // Renaming a file over a non-empty directory fails; the temp file must be cleaned up.
    const blocked = join(dir, 'blocked');
    writeFileAtomic(join(blocked, 'inner.txt'), 'x');
    expect(() => writeFileAtomic(blocked, 'new')).toThrow();
    expect(readFileSync(path, 'utf8')).toBe('kept');
    expect(readdirSync(dir).sort()).toEqual(['blocked', 'file.txt']);
  });
});

describe('resume', () => {
  it('a run is complete only with every epoch recorded and the same spec', () => {
    const out = tempDir();
    suc(out, 'tied', 0, [0.5, 0.6, 0.7], [1, 1]);
    const dir = join(out, 'suc-ones', 'tied', 'seed-0');
    const { run } = loadRun(dir).record;
    expect(isRunComplete(dir, run)).toBe(true);
    expect(isRunComplete(dir, { ...run, settings: { ...run.settings, epochs: 3 } })).toBe(false);
    expect(isRunComplete(dir, { ...run, tier: 'quick' })).toBe(false);
    // An interrupted run: the last epoch's line is missing.
    const lines = readFileSync(join(dir, 'metrics.jsonl'), 'utf8').split('\n');
    writeFileSync(join(dir, 'metrics.jsonl'), `${lines.slice(0, 2).join('\n')}\n`);
    expect(isRunComplete(dir, run)).toBe(false);
    expect(existsSync(join(out, 'suc-ones', 'constant'))).toBe(false);
  });
});

describe('records from before the tiers', () => {
  it('read `quick: true/false` as the quick tier / the paper settings', () => {
    const out = tempDir();
    suc(out, 'tied', 0, [0.5, 0.6], [1]);
    const dir = join(out, 'suc-ones', 'tied', 'seed-0');
    const path = join(dir, 'config.json');
    for (const [quick, tier] of [
      [true, 'quick'],
      [false, 'full'],
    ] as const) {
      const text = readFileSync(path, 'utf8').replace(/"(tier|quick)": "?\w+"?/, `"quick": ${quick}`);
      writeFileSync(path, text);
      expect(loadRun(dir).record.run.tier).toBe(tier);
      expect(loadRun(dir).record.run).not.toHaveProperty('quick');
    }
  });
});
