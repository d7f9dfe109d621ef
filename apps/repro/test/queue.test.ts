import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue, type Worker } from 'bullmq';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { parseQueueUrl } from '../src/queue/connection';
import { QUEUE_NAME, type RunJobData, type RunJobResult } from '../src/queue/jobs';
import { processRunJob, type RunJobHandle } from '../src/queue/process';
import { startQueueWorker } from '../src/queue/worker';
import { planRuns, selectExperiments } from '../src/run/plan';
import { cli, tempDir } from './helpers';
import { describeRedis, startRedis, type TestRedis } from './redis';

const SWEEP = ['suc-ones', '--quick', '--epochs', '2', '--seeds', '0'];

describeRedis('fbt-repro on a Redis queue (in-process worker)', () => {
  let redis: TestRedis;
  let queue: Queue<RunJobData, RunJobResult>;
  const workers: Worker[] = [];
  const log: string[] = [];

  async function worker(processor?: (job: RunJobHandle) => Promise<RunJobResult>): Promise<Worker> {
    const w = await startQueueWorker(parseQueueUrl(redis.url, 'worker'), {
      concurrency: 1,
      log: (line) => log.push(line),
      ...(processor === undefined ? {} : { processor }),
    });
    workers.push(w);
    return w;
  }

  async function finalState(id: string): Promise<string> {
    for (;;) {
      const state = await queue.getJobState(id);
      if (state === 'completed' || state === 'failed') return state;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  beforeEach(async () => {
    redis = await startRedis();
    queue = new Queue(QUEUE_NAME, { connection: parseQueueUrl(redis.url, 'submitter').options });
    queue.on('error', () => undefined);
    log.length = 0;
  });

  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.close()));
    await queue.close();
    await redis.stop();
  });

  it('resubmitting skips finished runs and never duplicates a job; a changed setting is a new job', async () => {
    await worker();
    const out = join(tempDir(), 'results');
    const first = await cli('run', ...SWEEP, '--queue', redis.url, '--out', out);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('2 runs, 0 already in');
    expect(first.stdout).toContain('2 enqueued, 0 already on the queue');
    expect(first.stdout).toMatch(/trained 2 runs on the queue \(0 already finished, 0 failed\)/);
    expect(existsSync(join(out, 'REPORT.md'))).toBe(true);

    const again = await cli('run', ...SWEEP, '--queue', redis.url, '--out', out);
    expect(again.stdout).toContain(`2 runs, 2 already in ${out}, 0 enqueued, 0 already on the queue`);

    // Another results directory: the jobs are already done on the queue, so they are only collected.
    const out2 = join(tempDir(), 'results');
    const elsewhere = await cli('run', ...SWEEP, '--queue', redis.url, '--out', out2);
    expect(elsewhere.stdout).toContain('0 enqueued, 2 already on the queue');
    expect(readFileSync(join(out2, 'suc-ones/tied/seed-0/metrics.jsonl'), 'utf8')).toBe(
      readFileSync(join(out, 'suc-ones/tied/seed-0/metrics.jsonl'), 'utf8'),
    );
    expect(await queue.getJobCounts('completed', 'waiting', 'active', 'failed')).toEqual({
      completed: 2,
      waiting: 0,
      active: 0,
      failed: 0,
    });

    // A changed setting is a new job (into a fresh directory: `out` holds the finished runs at lr 0.1,
    // which a run with other settings may not replace without --overwrite).
    const changed = await cli(
      'run',
      ...SWEEP,
      '--lr',
      '0.2',
      '--queue',
      redis.url,
      '--out',
      join(tempDir(), 'r'),
    );
    expect(changed.stdout).toContain('2 enqueued');
    expect((await queue.getJobCounts('completed')).completed).toBe(4);
  });

  it('a job that throws fails with a one-line reason after its retries, in the final line and REPORT.md', async () => {
    let constantTries = 0;
    await worker((job) => {
      if ((job.data as RunJobData).run.config === 'constant') {
        constantTries++;
        throw new Error('boom: out of luck\nwith a stack below');
      }
      return processRunJob(job);
    });
    const out = join(tempDir(), 'results');
    const started = Date.now();
    const { code, stdout } = await cli(
      'run',
      ...SWEEP,
      '--attempts',
      '2',
      '--queue',
      redis.url,
      '--out',
      out,
    );
    expect(code).toBe(1);
    expect(constantTries).toBe(2);
    // Exponential backoff: the retry waited at least the first delay (1 s).
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(stdout).toMatch(
      /trained 1 runs on the queue \(0 already finished, 1 failed: suc-ones\/constant seed 0 \(boom: out of luck\)\)/,
    );
    const report = readFileSync(join(out, 'REPORT.md'), 'utf8');
    expect(report).toContain('## Failed runs');
    expect(report).toContain('- suc-ones/constant seed 0: boom: out of luck\n');
    expect(JSON.parse(readFileSync(join(out, 'failed.json'), 'utf8'))).toEqual([
      { experiment: 'suc-ones', config: 'constant', seed: 0, reason: 'boom: out of luck' },
    ]);

    // Resubmitting retries the failed job (on a healthy worker); the failure leaves the report.
    await Promise.all(workers.splice(0).map((w) => w.close()));
    await worker();
    const retry = await cli('run', ...SWEEP, '--queue', redis.url, '--out', out);
    expect(retry.code).toBe(0);
    expect(retry.stdout).toContain('1 already in');
    expect(readFileSync(join(out, 'REPORT.md'), 'utf8')).not.toContain('## Failed runs');
    expect(JSON.parse(readFileSync(join(out, 'failed.json'), 'utf8'))).toEqual([]);
  });

  it('refuses a payload that fails validation before training, without retrying it', async () => {
    await worker();
    const [run] = planRuns(selectExperiments(['suc-ones'], 'quick'), { seeds: [0] }, 'quick', 'cpu');
    const bad = { run: { ...run!, settings: { ...run!.settings, rule: { name: 'no-such-rule' } } } };
    await queue.add('bad', bad, { jobId: 'bad', attempts: 3 });
    expect(await finalState('bad')).toBe('failed');
    const job = (await queue.getJob('bad'))!;
    expect(job.failedReason).toMatch(/^refused: job payload suc-ones\/tied seed 0: "rules\[0\]": /);
    expect(job.attemptsMade).toBe(1);
    expect(job.progress).toBe(0);
  });

  it('finishes a sweep across a Redis restart: the worker reconnects and lost jobs are enqueued again', async () => {
    // Each job waits a little first, so that the restart falls in the middle of the sweep.
    await worker(async (job) => {
      await new Promise((r) => setTimeout(r, 300));
      return processRunJob(job);
    });
    const out = join(tempDir(), 'results');
    const sweep = cli(
      'run',
      'suc-ones',
      'mlp-digits',
      '--quick',
      '--epochs',
      '2',
      '--seeds',
      '0',
      '--queue',
      redis.url,
      '--out',
      out,
    );
    const firstRun = join(out, 'suc-ones/tied/seed-0/metrics.jsonl');
    while (!existsSync(firstRun)) await new Promise((r) => setTimeout(r, 50));
    await redis.stop();
    await new Promise((r) => setTimeout(r, 1000));
    await redis.start();
    const { code, stdout } = await sweep;
    expect(code).toBe(0);
    expect(stdout).toContain('gone from Redis (restarted without persistence?); enqueued again');
    expect(stdout).toMatch(/trained 4 runs on the queue \(0 already finished, 0 failed\)/);
    for (const experiment of ['suc-ones', 'mlp-digits'])
      for (const config of ['tied', 'constant'])
        expect(existsSync(join(out, experiment, config, 'seed-0', 'metrics.jsonl'))).toBe(true);
  });
});
