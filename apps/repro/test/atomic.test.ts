import * as fs from 'node:fs';
import { join } from 'node:path';
import { NODE_FILE_SYSTEM, useFileSystem } from '../src/results/fs-layer';
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

describe('temporary files cannot be redirected by a planted symbolic link (issue 23, group 3)', () => {
  it('ignores links planted under the names a writer used to pick; the file outside is untouched', () => {
    const dir = tempDir();
    const outside = join(tempDir(), 'precious.txt');
    fs.writeFileSync(outside, 'precious\n');
    const target = join(dir, 'config.json');
    for (let n = 0; n < 1000; n++) fs.symlinkSync(outside, `${target}.tmp-${process.pid}-${n}`);
    writeFileAtomic(target, 'new\n');
    writeFileAtomic(target, 'newer\n');
    expect(fs.readFileSync(outside, 'utf8')).toBe('precious\n');
    expect(fs.readFileSync(target, 'utf8')).toBe('newer\n');
  });

  it('opens each temporary file exclusively, without following links, under a fresh unpredictable name', () => {
    const opened: { path: string; flags: number }[] = [];
    const restore = useFileSystem({
      ...NODE_FILE_SYSTEM,
      open: (path, flags, mode) => {
        opened.push({ path, flags });
        return NODE_FILE_SYSTEM.open(path, flags, mode);
      },
    });
    const target = join(tempDir(), 'metrics.jsonl');
    try {
      writeFileAtomic(target, 'a\n', { durable: false });
      writeFileAtomic(target, 'b\n', { durable: false });
    } finally {
      restore();
    }
    expect(opened).toHaveLength(2);
    const { O_CREAT, O_EXCL, O_NOFOLLOW } = fs.constants;
    for (const { path, flags } of opened) {
      expect(path).toMatch(new RegExp(`^${target}\\.tmp-${process.pid}-[0-9a-f]{12}$`));
      expect(flags & (O_CREAT | O_EXCL | O_NOFOLLOW)).toBe(O_CREAT | O_EXCL | O_NOFOLLOW);
    }
    expect(opened[0]!.path).not.toBe(opened[1]!.path);
  });

  it('refuses to write through a link planted at its exact temporary name', () => {
    const dir = tempDir();
    const outside = join(tempDir(), 'precious.txt');
    fs.writeFileSync(outside, 'precious\n');
    const target = join(dir, 'config.json');
    // A file system whose open sees the link planted just before it (the race a predictable name allowed).
    const restore = useFileSystem({
      ...NODE_FILE_SYSTEM,
      open: (path, flags, mode) => {
        if (path.startsWith(`${target}.tmp-`)) fs.symlinkSync(outside, path);
        return NODE_FILE_SYSTEM.open(path, flags, mode);
      },
    });
    try {
      expect(() => writeFileAtomic(target, 'new\n')).toThrow(/^cannot write .*config\.json: .*\(EEXIST\)$/);
    } finally {
      restore();
    }
    expect(fs.readFileSync(outside, 'utf8')).toBe('precious\n');
    expect(fs.existsSync(target)).toBe(false);
  });
});
