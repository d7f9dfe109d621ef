import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NODE_FILE_SYSTEM, useFileSystem } from '../src/results/fs-layer';
import { LOCK_FILE, lockResults } from '../src/results/lock';
import { suc } from './fixtures';
import { hashTree } from './faulty-fs';
import { cli, expectWholeFiles, tempDir } from './helpers';
import { HAS_REDIS, startRedis } from './redis';

/** The built CLI, run as separate processes that race for one folder. */
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const RUN = ['run', 'suc-ones', '--seeds', '0', '--workers', '1', '--backend', 'cpu'];

interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
}

function start(args: string[]): { child: ChildProcess; exit: Promise<Exit> } {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<Exit>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stderr })),
  );
  return { child, exit };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (condition()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function expectRefusal(result: { code: number | null; stderr: string }, holder: RegExp): void {
  expect(result.code).toBe(2);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(/is being written by /);
  expect(result.stderr).toMatch(holder);
  expect(result.stderr).toMatch(/one writer per results folder/);
}

describe('one writer per results folder (issue 23, group 2)', () => {
  it('the lock records pid, host, start and command; a second taker is refused; release removes it', () => {
    const out = tempDir();
    const release = lockResults(out, 'run');
    const holder = JSON.parse(readFileSync(join(out, LOCK_FILE), 'utf8')) as Record<string, unknown>;
    expect(holder).toMatchObject({ pid: process.pid, host: hostname(), command: 'run' });
    expect(Date.parse(holder.started as string)).toBeGreaterThan(Date.now() - 60_000);
    expect(() => lockResults(out, 'collect')).toThrow(
      new RegExp(`is being written by fbt-repro run \\(pid ${process.pid} on ${hostname()}, since `),
    );
    release();
    expect(existsSync(join(out, LOCK_FILE))).toBe(false);
    lockResults(out, 'report')();
  });

  it('recovers the lock of a process that is gone (same host), and refuses one of another host', async () => {
    const out = tempDir();
    const lock = join(out, LOCK_FILE);
    // Linux process ids stay below 2^22: this one is not running.
    const dead = { pid: 99999999, host: hostname(), started: '2026-01-01T00:00:00.000Z', command: 'run' };
    writeFileSync(lock, JSON.stringify(dead));
    const result = await cli(...RUN, '--epochs', '1', '--out', out);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(existsSync(lock)).toBe(false);

    writeFileSync(lock, JSON.stringify({ ...dead, host: 'elsewhere.example' }));
    const before = hashTree(out);
    expectRefusal(await cli('report', out), /fbt-repro run \(pid 99999999 on elsewhere\.example/);
    expect(hashTree(out)).toEqual(before);
  });

  it('the lock file appears whole: while its holder is written, the lock name does not exist', () => {
    const out = tempDir();
    const lock = join(out, LOCK_FILE);
    const seenDuringWrites: boolean[] = [];
    const restore = useFileSystem({
      ...NODE_FILE_SYSTEM,
      write: (fd, buffer, offset, length) => {
        seenDuringWrites.push(existsSync(lock));
        return NODE_FILE_SYSTEM.write(fd, buffer, offset, length);
      },
    });
    let release: () => void;
    try {
      release = lockResults(out, 'run');
    } finally {
      restore();
    }
    expect(seenDuringWrites.length).toBeGreaterThan(0);
    expect(seenDuringWrites.every((seen) => !seen)).toBe(true);
    expect(JSON.parse(readFileSync(lock, 'utf8'))).toMatchObject({ pid: process.pid, command: 'run' });
    expect(readdirSync(out)).toEqual([LOCK_FILE]); // the private file was removed
    release();
    expect(existsSync(lock)).toBe(false);
  });

  it('a lock that cannot be read is refused, never taken over', async () => {
    const out = tempDir();
    writeFileSync(join(out, LOCK_FILE), '{"pid": 12');
    expectRefusal(
      await cli(...RUN, '--epochs', '1', '--out', out),
      /another fbt-repro \(its lock file cannot be read\)/,
    );
  });
});

describe.skipIf(!existsSync(CLI))('writers racing for one folder, as separate processes', () => {
  it('two runs started at once on one --out (different epochs): one trains, the other is refused before work', async () => {
    const out = tempDir();
    const [a, b] = [
      start([...RUN, '--epochs', '30', '--out', out]),
      start([...RUN, '--epochs', '20', '--out', out]),
    ];
    const exits = await Promise.all([a.exit, b.exit]);
    const codes = exits.map((e) => e.code).sort();
    expect(codes).toEqual([0, 2]);
    const refused = exits.find((e) => e.code === 2)!;
    expectRefusal(refused, /fbt-repro run \(pid \d+ on /);
    const winner = exits.indexOf(exits.find((e) => e.code === 0)!) === 0 ? 30 : 20;
    for (const config of ['tied', 'constant']) {
      const dir = join(out, 'suc-ones', config, 'seed-0');
      const lines = readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n');
      expect(lines).toHaveLength(winner + 1);
    }
    expectWholeFiles(out);
    expect(existsSync(join(out, LOCK_FILE))).toBe(false);
  }, 120_000);

  it('collect (or report) while a local run writes is refused; the run finishes untouched', async () => {
    const out = tempDir();
    const run = start([...RUN, '--epochs', '150', '--out', out]);
    await until(() => existsSync(join(out, LOCK_FILE)), 'the lock');
    const holder = new RegExp(`fbt-repro run \\(pid ${run.child.pid} on `);
    // collect reaches its Redis first (an empty queue here), then finds the folder taken.
    if (HAS_REDIS) {
      const redis = await startRedis();
      try {
        expectRefusal(await cli('collect', '--queue', redis.url, '--out', out), holder);
      } finally {
        await redis.stop();
      }
    }
    expectRefusal(await cli('report', out), holder);
    const exit = await run.exit;
    expect(exit.stderr).toBe('');
    expect(exit.code).toBe(0);
    expect((await cli('report', out)).code).toBe(0);
  }, 120_000);

  it('a run while collect holds the folder is refused before work, leaving the folder byte-identical', async () => {
    const out = tempDir();
    suc(out, 'tied', 0, [0.5, 0.9, 1], [1, 1]);
    const release = lockResults(out, 'collect');
    try {
      const before = hashTree(out);
      const exit = await start([...RUN, '--epochs', '2', '--configs', 'constant', '--out', out]).exit;
      expectRefusal(exit, new RegExp(`fbt-repro collect \\(pid ${process.pid} on `));
      expect(hashTree(out)).toEqual(before);
    } finally {
      release();
    }
  }, 60_000);

  const stops: [NodeJS.Signals, string, string][] = [
    ['SIGINT', '2', 'released at exit'],
    ['SIGTERM', '1', 'left by a process that is gone'],
    ['SIGKILL', '1', 'left by a process that is gone'],
  ];
  for (const [signal, workers, lock] of stops) {
    it(`a run stopped with ${signal} (--workers ${workers}) stops at once, lock ${lock}; the next run takes the folder`, async () => {
      const out = tempDir();
      const args = [...RUN.filter((a) => a !== '--workers' && a !== '1'), '--workers', workers];
      const run = start([...args, '--epochs', '5000', '--out', out]);
      await until(() => existsSync(join(out, 'suc-ones')), 'training');
      const stopped = Date.now();
      run.child.kill(signal);
      await run.exit;
      expect(Date.now() - stopped).toBeLessThan(5000);
      expect(existsSync(join(out, LOCK_FILE))).toBe(lock !== 'released at exit');
      expectWholeFiles(out);
      const again = await cli(...RUN, '--configs', 'tied', '--epochs', '1', '--overwrite', '--out', out);
      expect(again.stderr).toBe('');
      expect(again.code).toBe(0);
      expect(existsSync(join(out, LOCK_FILE))).toBe(false);
    }, 60_000);
  }
});
