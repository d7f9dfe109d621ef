import * as fs from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sweepStaleTemps, writeFileAtomic } from '../src/results/atomic';
import { tempDir } from './helpers';

vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  return { ...actual, fsyncSync: vi.fn(actual.fsyncSync), renameSync: vi.fn(actual.renameSync) };
});

afterEach(() => vi.clearAllMocks());

describe('writeFileAtomic is durable', () => {
  it('flushes the temporary file before the rename and the directory after it', () => {
    const dir = tempDir();
    writeFileAtomic(join(dir, 'file.txt'), 'data');
    const fsync = vi.mocked(fs.fsyncSync).mock.invocationCallOrder;
    const rename = vi.mocked(fs.renameSync).mock.invocationCallOrder;
    expect(fsync).toHaveLength(2);
    expect(rename).toHaveLength(1);
    expect(fsync[0]!).toBeLessThan(rename[0]!);
    expect(fsync[1]!).toBeGreaterThan(rename[0]!);
  });
});

describe('sweepStaleTemps', () => {
  it('deletes the temporary files of dead processes and keeps those of live ones', () => {
    const dir = tempDir();
    // Linux process ids stay below 2^22, so this one is not running.
    const dead = 'metrics.jsonl.tmp-99999999-3';
    const live = `metrics.jsonl.tmp-${process.pid}-0`;
    for (const name of [dead, live, 'metrics.jsonl', 'notes.tmp-x']) fs.writeFileSync(join(dir, name), '');
    expect(sweepStaleTemps(dir)).toEqual([dead]);
    expect(fs.readdirSync(dir).sort()).toEqual(['metrics.jsonl', live, 'notes.tmp-x'].sort());
  });
});
