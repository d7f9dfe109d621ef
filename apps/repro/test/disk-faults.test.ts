import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WriteError } from '../src/errors';
import { writeFileAtomic } from '../src/results/atomic';
import { suc } from './fixtures';
import { hashTree, sameFiles, withFaults, type Faults } from './faulty-fs';
import { cli, expectWholeFiles, leftoverTemps, tempDir } from './helpers';

/** A results folder with two finished suc-ones runs and their report: the "earlier results". */
async function earlierResults(): Promise<string> {
  const out = tempDir();
  suc(out, 'tied', 0, [0.5, 0.9, 1], [1, 1]);
  suc(out, 'tied', 1, [0.5, 0.8, 1], [1, 1]);
  expect((await cli('report', out)).code).toBe(0);
  return out;
}

/** One more run (constant, seed 0, 2 epochs on cpu) into `out`. */
const newRun = (out: string): string[] => [
  'run',
  'suc-ones',
  '--full',
  '--configs',
  'constant',
  '--seeds',
  '0',
  '--epochs',
  '2',
  '--backend',
  'cpu',
  '--workers',
  '1',
  '--out',
  out,
];

function expectOneLine(stderr: string, message: RegExp): void {
  expect(stderr).toMatch(message);
  expect(stderr.trim().split('\n')).toHaveLength(1);
}

describe('writeFileAtomic: complete or not at all', () => {
  it('loops over short writes until every byte is written', async () => {
    const path = join(tempDir(), 'file.txt');
    const content = `${'é'.repeat(5000)}\n`;
    await withFaults({ writeChunk: 7 }, () => writeFileAtomic(path, content));
    expect(readFileSync(path, 'utf8')).toBe(content);
  });

  const faults: [string, Faults, RegExp][] = [
    ['a disk that fills mid-file', { freeBytes: 1000 }, /no space left on the device \(ENOSPC\)$/],
    ['an I/O error at fsync', { fail: { call: 'fsync', code: 'EIO' } }, /input\/output error \(EIO\)$/],
    ['a quota at open', { fail: { call: 'open', code: 'EDQUOT' } }, /disk quota exceeded \(EDQUOT\)$/],
    ['a read-only file system at rename', { fail: { call: 'rename', code: 'EROFS' } }, /\(EROFS\)$/],
  ];
  for (const [what, fault, message] of faults) {
    it(`on ${what}: a WriteError naming the file, the old file byte-identical, no temporary file`, async () => {
      const dir = tempDir();
      const path = join(dir, 'metrics.jsonl');
      writeFileSync(path, 'old\n');
      const before = hashTree(dir);
      let error: unknown;
      await withFaults(fault, () => {
        try {
          writeFileAtomic(path, 'x'.repeat(5000));
        } catch (e) {
          error = e;
        }
      });
      expect(error).toBeInstanceOf(WriteError);
      expect((error as Error).message).toMatch(new RegExp(`^cannot write ${path}: `));
      expect((error as Error).message).toMatch(message);
      expect(hashTree(dir)).toEqual(before);
    });
  }
});

describe('a full disk or an I/O error during `run` and `report`', () => {
  // Each budget lands the fault somewhere else: the new run's config.json, its metrics, the report.
  for (const freeBytes of [100, 3000, 6000, 30_000, 120_000]) {
    it(`run with ${freeBytes} bytes free: one line naming the file, exit 1, earlier results byte-identical`, async () => {
      const out = await earlierResults();
      const before = hashTree(out);
      const result = await withFaults({ freeBytes }, () => cli(...newRun(out)));
      expect(result.code).toBe(1);
      expectOneLine(result.stderr, /^fbt-repro: cannot write .*: no space left on the device \(ENOSPC\)\n$/);
      const after = hashTree(out);
      // The earlier runs are untouched; every other file is whole; nothing temporary is left.
      for (const run of ['seed-0', 'seed-1'])
        for (const file of ['config.json', 'metrics.jsonl']) {
          const rel = join('suc-ones', 'tied', run, file);
          expect(after.get(rel), rel).toBe(before.get(rel));
        }
      expectWholeFiles(out);
      expect(leftoverTemps(out)).toEqual([]);
      // A report file is the earlier one or the complete new one, which a fault-free rebuild gives.
      const faulted = new Map(sameFiles(before, after));
      expect((await cli('report', out)).code).toBe(0);
      const rebuilt = hashTree(out);
      for (const [rel, hash] of faulted) expect([before.get(rel), rebuilt.get(rel)], rel).toContain(hash);
    });
  }

  for (const [freeBytes, file] of [
    [100, 'config.json'],
    [1800, 'metrics.jsonl'],
  ] as const) {
    it(`a disk full at the new run's ${file} leaves every earlier file byte-identical`, async () => {
      const out = await earlierResults();
      const before = hashTree(out);
      const result = await withFaults({ freeBytes }, () => cli(...newRun(out)));
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(join('constant', 'seed-0', file));
      expect(sameFiles(before, hashTree(out))).toEqual(before);
    });
  }

  it('report on a full disk: exit 1, one line naming the file, REPORT.md byte-identical', async () => {
    const out = await earlierResults();
    suc(out, 'constant', 0, [0.5, 0.7, 0.9], [1, 1]);
    const before = hashTree(out);
    const result = await withFaults({ fail: { call: 'write', code: 'ENOSPC', path: /REPORT\.md/ } }, () =>
      cli('report', out),
    );
    expect(result.code).toBe(1);
    expectOneLine(
      result.stderr,
      /^fbt-repro: cannot write .*REPORT\.md: no space left on the device \(ENOSPC\)\n$/,
    );
    expect(hashTree(out).get('REPORT.md')).toBe(before.get('REPORT.md'));
    expect(leftoverTemps(out)).toEqual([]);
  });
});

describe('file-system errors while writing the report (issue 23, group 7)', () => {
  for (const code of ['EACCES', 'EROFS', 'EIO']) {
    it(`${code} while writing it: one line naming the file, exit 1`, async () => {
      const out = await earlierResults();
      const result = await withFaults({ fail: { call: 'open', code, path: /summary\.csv/ } }, () =>
        cli('report', out),
      );
      expect(result.code).toBe(1);
      expectOneLine(
        result.stderr,
        new RegExp(`^fbt-repro: cannot write .*summary\\.csv: .*\\(${code}\\)\\n$`),
      );
    });
  }

  it('REPORT.md that is a folder: report and run refuse it before any work (exit 2)', async () => {
    const out = tempDir();
    suc(out, 'tied', 0, [0.5, 0.9, 1], [1, 1]);
    mkdirSync(join(out, 'REPORT.md'));
    const before = hashTree(out);
    const report = await cli('report', out);
    expect(report.code).toBe(2);
    expectOneLine(
      report.stderr,
      /^fbt-repro: report: .*REPORT\.md is not a file; the report cannot be written there\n$/,
    );
    const run = await cli(...newRun(out));
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expectOneLine(run.stderr, /^fbt-repro: --out .*REPORT\.md is not a file/);
    expect(hashTree(out)).toEqual(before);
    expect(existsSync(join(out, 'suc-ones', 'constant'))).toBe(false);
  });
});
