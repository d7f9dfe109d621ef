import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseQueueUrl } from '../src/queue/connection';
import { QUEUE_NAME } from '../src/queue/jobs';
import { cli, snapshot, tempDir } from './helpers';
import { describeRedis, startRedis, type TestRedis } from './redis';

/** The built CLI: worker processes are real `fbt-repro worker` processes, as on other machines. */
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const SWEEP = ['suc-ones', 'mlp-digits', '--quick', '--epochs', '2', '--seeds', '0,1'];
/** Short locks, so that a killed worker's job is taken for stalled within seconds. */
const FAST_STALL = ['--lock-ms', '2000', '--stalled-ms', '1000'];

interface Proc {
  readonly child: ChildProcess;
  readonly lines: string[];
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
}

function start(args: readonly string[]): Proc {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  let buffer = '';
  const onData = (data: Buffer): void => {
    buffer += data.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      for (const w of [...waiters]) {
        const m = line.match(w.pattern);
        if (m !== null) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(m);
        }
      }
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  return {
    child,
    lines,
    waitFor: (pattern) => {
      const found = lines.map((l) => l.match(pattern)).find((m) => m !== null);
      if (found !== undefined && found !== null) return Promise.resolve(found);
      return new Promise((resolve) => waiters.push({ pattern, resolve }));
    },
  };
}

async function stop(p: Proc, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    p.child.once('exit', () => resolve());
    p.child.kill(signal);
  });
}

/** `metrics.jsonl` without the timing field `seconds`, which differs between any two runs. */
function withoutSeconds(text: string): string {
  return text.replace(/"seconds":[^,}]*/g, '"seconds":_');
}

/** `summary.csv` without its seconds-per-epoch columns (timing, not results), found by their header. */
function summaryWithoutTiming(text: string): string {
  const rows = text.split('\n').map((line) => line.split(','));
  const timing = new Set(rows[0]!.flatMap((name, i) => (name.startsWith('seconds_per_epoch') ? [i] : [])));
  return rows.map((cells) => cells.filter((_, i) => !timing.has(i)).join(',')).join('\n');
}

/** Compares two results directories as the summaries do: everything but the timing fields. */
function expectSameResults(local: string, queued: string): void {
  const a = snapshot(local);
  const b = snapshot(queued);
  const runFiles = [...a.keys()].filter((f) => /(config\.json|metrics\.jsonl|summary\.csv)$/.test(f));
  expect(runFiles.length).toBeGreaterThan(0);
  for (const file of runFiles) {
    expect(b.has(file), file).toBe(true);
    if (file.endsWith('config.json')) expect(b.get(file), file).toBe(a.get(file));
    else if (file.endsWith('metrics.jsonl'))
      expect(withoutSeconds(b.get(file)!), file).toBe(withoutSeconds(a.get(file)!));
    else expect(summaryWithoutTiming(b.get(file)!), file).toBe(summaryWithoutTiming(a.get(file)!));
  }
}

describeRedis('fbt-repro worker processes on a Redis queue', () => {
  let redis: TestRedis;
  let local: string;
  const procs: Proc[] = [];

  beforeAll(async () => {
    if (!existsSync(CLI))
      throw new Error(`${CLI} is missing: build first (pnpm exec turbo run build --filter=@fbt/repro)`);
    redis = await startRedis();
    local = join(tempDir(), 'local');
    const { code } = await cli('run', ...SWEEP, '--workers', '1', '--out', local);
    expect(code).toBe(0);
  });

  afterAll(async () => {
    await Promise.all(procs.map((p) => stop(p, 'SIGKILL')));
    await redis?.stop();
  });

  function worker(): Proc {
    const p = start(['worker', '--queue', redis.url, ...FAST_STALL]);
    procs.push(p);
    return p;
  }

  it('a worker killed with SIGKILL mid-job: its job stalls, another worker completes it, results equal a local run', async () => {
    const out = join(tempDir(), 'queued');
    const a = worker();
    await a.waitFor(/waiting for jobs/);
    const sweep = cli('run', ...SWEEP, '--queue', redis.url, '--out', out);
    const [, killedJob] = await a.waitFor(/^worker: start (\S+)/);
    await stop(a, 'SIGKILL');
    expect(a.lines.some((l) => l.includes(`done  ${killedJob!}`))).toBe(false);
    const b = worker();
    const c = worker();
    const { code, stdout } = await sweep;
    expect(code).toBe(0);
    expect(stdout).toMatch(/trained 8 runs on the queue \(0 already finished, 0 failed\)/);
    // The killed worker's job was re-delivered after its lock expired and completed elsewhere.
    expect([...b.lines, ...c.lines].some((l) => l.includes(`done  ${killedJob!}`))).toBe(true);
    expectSameResults(local, out);
    console.log(
      `queue sweep: ${stdout
        .trim()
        .split('\n')
        .find((l) => l.startsWith('trained'))}`,
    );
  });

  it('the submitter killed mid-sweep: collect, or rerunning the sweep, picks up the finished runs', async () => {
    const out = join(tempDir(), 'queued');
    const queue = new Queue(QUEUE_NAME, { connection: parseQueueUrl(redis.url, 'submitter').options });
    queue.on('error', () => undefined);
    await queue.obliterate({ force: true });
    const submitter = start(['run', ...SWEEP, '--queue', redis.url, '--out', out]);
    await submitter.waitFor(/8 enqueued/);
    await stop(submitter, 'SIGKILL');
    worker(); // this test's own worker (those of the test before may be busy or gone)
    for (;;) {
      const counts = await queue.getJobCounts('completed');
      if (counts.completed === 8) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    await queue.close();
    const collected = await cli('collect', '--queue', redis.url, '--out', out);
    expect(collected.code).toBe(0);
    expect(collected.stdout).toContain(`collected 8 runs (0 already in ${out}, 0 failed)`);
    expect(existsSync(join(out, 'REPORT.md'))).toBe(true);
    expectSameResults(local, out);
    const rerun = await cli('run', ...SWEEP, '--queue', redis.url, '--out', out);
    expect(rerun.stdout).toContain(`8 runs, 8 already in ${out}, 0 enqueued`);
    // Rerunning the sweep instead of collect, into a fresh directory, also picks them up without training.
    const out2 = join(tempDir(), 'queued');
    const again = await cli('run', ...SWEEP, '--queue', redis.url, '--out', out2);
    expect(again.stdout).toContain('0 enqueued, 8 already on the queue');
    expectSameResults(local, out2);
  });

  it('measures the per-job queue overhead on tiny jobs with an idle worker', async () => {
    const lines: string[] = [];
    for (const seed of [11, 12, 13, 14, 15]) {
      const out = join(tempDir(), 'tiny');
      const argv = ['suc-ones', '--quick', '--configs', 'tied', '--epochs', '1', '--seeds', String(seed)];
      const { code, stdout } = await cli('run', ...argv, '--queue', redis.url, '--out', out);
      expect(code).toBe(0);
      lines.push(stdout.split('\n').find((l) => l.startsWith('trained'))!);
    }
    for (const line of lines)
      expect(line).toMatch(/queue overhead median \d+ ms enqueue→start, \d+ ms finish→collected/);
    console.log(`queue overhead, one tiny job per sweep:\n${lines.join('\n')}`);
  });
});
