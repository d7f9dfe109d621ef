import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue, type Worker } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { forMarkdown, forTerminal } from '../src/escape';
import { checkJobResult, failedRun, recordFailed } from '../src/queue/collect';
import { parseQueueUrl, redact } from '../src/queue/connection';
import { QUEUE_NAME, type RunJobData, type RunJobResult } from '../src/queue/jobs';
import { processRunJob, type RunJobHandle } from '../src/queue/process';
import { startQueueWorker } from '../src/queue/worker';
import { FAILED_FILE, readSkipped } from '../src/results/skipped';
import { readRun } from '../src/results/store';
import { suc } from './fixtures';
import { hashTree } from './faulty-fs';
import { cli, tempDir } from './helpers';
import { describeRedis, startRedis, type TestRedis } from './redis';

/** A finished run as a worker returns it (one of the fixture's runs). */
function goodResult(): RunJobResult {
  const out = tempDir();
  suc(out, 'tied', 0, [0.5, 0.9, 1], [1, 1]);
  const reading = readRun(join(out, 'suc-ones', 'tied', 'seed-0'));
  if (!reading.ok) throw new Error(reading.reason);
  return reading.run;
}

/** A name built to break every sink: ANSI colour, a line break, a Markdown heading and an HTML tag. */
const HOSTILE = '\u001b[31mred\u001b[0m\n# Heading <img src=x onerror=alert(1)> **bold** [link](http://x)';

describe('queue results are validated before anything is written (issue 23, group 4)', () => {
  const good = goodResult();
  const run = good.record.run;
  const cases: [string, unknown, RegExp][] = [
    ['null', null, /not a run's record and metrics: "\(top level\)"/],
    ['a number', 42, /not a run's record and metrics/],
    ['a string', 'done', /not a run's record and metrics/],
    [
      'an experiment name that climbs out of --out',
      { ...good, record: { ...good.record, run: { ...run, experiment: '../../x' } } },
      /"record\.run\.experiment"/,
    ],
    [
      'a config that is a path',
      { ...good, record: { ...good.record, run: { ...run, config: 'a/b' } } },
      /"record\.run\.config"/,
    ],
    [
      'a hidden-name config',
      { ...good, record: { ...good.record, run: { ...run, config: '.ssh' } } },
      /"record\.run\.config"/,
    ],
    ['metrics that are not a list', { ...good, metrics: {} }, /"metrics"/],
    ['a metrics line of the wrong shape', { ...good, metrics: [{ epoch: -1 }] }, /"metrics\.0\.epoch"/],
    ['missing epochs', { ...good, metrics: good.metrics.slice(0, 2) }, /does not hold every epoch/],
  ];
  for (const [what, value, reason] of cases)
    it(`refuses ${what}`, () => expect(checkJobResult(value)).toMatch(reason));

  it('accepts a finished run, and refuses it as the result of another submitted run', () => {
    expect(checkJobResult(good)).toBe(good);
    expect(checkJobResult(good, run)).toBe(good);
    expect(checkJobResult(good, { ...run, seed: 1 })).toBe(
      'its result is of another run than the one submitted',
    );
  });
});

describe('refused jobs reach the terminal, failed.json and REPORT.md escaped (issue 23, group 5)', () => {
  it('the terminal gets one line without escape sequences', () => {
    expect(forTerminal(HOSTILE)).toBe('red # Heading <img src=x onerror=alert(1)> **bold** [link](http://x)');
    expect(forTerminal('a\u001b]0;title\u0007b\u009bc\rd')).toBe('ab c d');
  });

  it('Markdown gets inert text: no tag, heading, emphasis or link', () => {
    expect(forMarkdown(HOSTILE)).toBe(
      'red \\# Heading &lt;img src=x onerror=alert(1)&gt; \\*\\*bold\\*\\* \\[link\\](http://x)',
    );
    expect(forMarkdown('- 1. | `x` ~y~ {.c} ![i]')).toBe('\\- 1. \\| \\`x\\` \\~y\\~ \\{.c\\} \\!\\[i\\]');
    expect(forMarkdown('3) x')).toBe('3\\) x');
  });

  it('any JSON value as a job run keeps failed.json readable, and report works', async () => {
    const out = tempDir();
    suc(out, 'tied', 0, [0.5, 0.9, 1], [1, 1]);
    const values: unknown[] = [
      { experiment: 7, config: null, seed: 'x' },
      null,
      42,
      [1, 2],
      { experiment: HOSTILE, config: { a: 1 }, seed: 1.5 },
    ];
    recordFailed(
      out,
      values.map((v) => failedRun(v, { not: 'a string' })),
      [],
    );
    const listed = readSkipped(out, FAILED_FILE);
    expect(listed).toContainEqual({
      experiment: '7',
      config: 'null',
      seed: -1,
      reason: '{"not":"a string"}',
    });
    const result = await cli('report', out);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = readFileSync(join(out, 'REPORT.md'), 'utf8');
    const section = report.slice(report.indexOf('## Failed runs'), report.indexOf('## Claims'));
    expect(section).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(section).not.toContain('<img');
    expect(section).not.toContain('\u001b');
    expect(section.split('\n').filter((l) => l.startsWith('#'))).toEqual(['## Failed runs']);
  });
});

describe('a Redis password holding "@" is never printed (issue 23, group 6)', () => {
  it('redaction splits the URL where the connection does', () => {
    const target = parseQueueUrl('redis://:p@ss@host:6380/1', 'worker');
    expect(target.options).toMatchObject({ host: 'host', port: 6380, password: 'p@ss' });
    expect(target.display).toBe('redis://:***@host:6380/1');
    expect(redact('cannot reach redis://fbt:p@ss:w@rd@host:1 now')).toBe(
      'cannot reach redis://fbt:***@host:1 now',
    );
    expect(redact('rediss://u:a%40b@h/0 and redis://h:1')).toBe('rediss://u:***@h/0 and redis://h:1');
    // Not parsable (port out of range): all the user information is hidden.
    expect(redact('redis://u:p@ss@h:99999')).toBe('redis://***@h:99999');
  });

  it('the CLI prints it redacted when Redis cannot be reached', async () => {
    const { code, stderr } = await cli('run', 'suc-ones', '--quick', '--queue', 'redis://:p@ss@127.0.0.1:1');
    expect(code).toBe(2);
    expect(stderr).toContain('redis://:***@127.0.0.1:1');
    expect(stderr).not.toMatch(/p@ss|ss@127/);
  });
});

describeRedis('collect and run --queue with forged results on the queue (issue 23, groups 4 and 5)', () => {
  let redis: TestRedis;
  let queue: Queue<RunJobData, RunJobResult>;
  const workers: Worker[] = [];

  beforeEach(async () => {
    redis = await startRedis();
    queue = new Queue(QUEUE_NAME, { connection: parseQueueUrl(redis.url, 'submitter').options });
    queue.on('error', () => undefined);
  });

  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.close()));
    await queue.close();
    await redis.stop();
  });

  /** Puts jobs on the queue and lets a worker with `processor` finish each (completed or failed). */
  async function settle(
    jobs: { id: string; data: unknown }[],
    processor: (job: RunJobHandle) => Promise<RunJobResult>,
  ): Promise<void> {
    for (const { id, data } of jobs)
      await queue.add('forged', data as RunJobData, {
        jobId: id,
        attempts: 1,
        removeOnComplete: false,
        removeOnFail: false,
      });
    workers.push(
      await startQueueWorker(parseQueueUrl(redis.url, 'worker'), {
        concurrency: 1,
        log: () => undefined,
        processor,
      }),
    );
    for (;;) {
      const counts = await queue.getJobCounts('completed', 'failed');
      if (counts.completed! + counts.failed! === jobs.length) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('collect writes nothing outside --out, never crashes, and lists the refused results', async () => {
    const root = tempDir();
    const out = join(root, 'results');
    const good = goodResult();
    const forged: unknown[] = [
      null,
      7,
      { ...good, record: { ...good.record, run: { ...good.record.run, experiment: '../../x' } } },
    ];
    const results = new Map<string, unknown>(forged.map((v, i) => [`forged-${i}`, v]));
    results.set('good', { ...good, record: { ...good.record, run: { ...good.record.run, seed: 3 } } });
    await settle(
      // Each job names another seed: a refused result must not hide behind the good run's identity.
      [...results.keys()].map((id, seed) => ({ id, data: { run: { ...good.record.run, seed } } })),
      async (job) => results.get((job as { id?: string }).id ?? '') as RunJobResult,
    );
    const result = await cli('collect', '--queue', redis.url, '--out', out);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^collected 1 runs \(0 already in .*, 3 failed; /);
    expect(result.stdout).toContain('refused: its result is not a run');
    expect(readdirSync(root)).toEqual(['results']);
    expect(existsSync(join(root, 'x'))).toBe(false);
    expect(readSkipped(out, FAILED_FILE)).toHaveLength(3);
    expect(readFileSync(join(out, 'REPORT.md'), 'utf8')).toContain('## Failed runs');
  });

  it('a refused job with a hostile experiment name: terminal, failed.json and REPORT.md stay inert', async () => {
    const out = join(tempDir(), 'results');
    suc(out, 'tied', 0, [0.5, 0.9, 1], [1, 1]);
    const good = goodResult();
    await settle(
      [{ id: 'hostile', data: { run: { ...good.record.run, experiment: HOSTILE } } }],
      processRunJob,
    );
    const result = await cli('collect', '--queue', redis.url, '--out', out);
    expect(result.code).toBe(1);
    expect(result.stdout).not.toContain('\u001b');
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    expect(readSkipped(out, FAILED_FILE)[0]!.experiment).toBe(HOSTILE);
    const before = hashTree(out);
    const report = await cli('report', out);
    expect(report.code).toBe(0);
    const text = readFileSync(join(out, 'REPORT.md'), 'utf8');
    expect(text).not.toContain('<img');
    expect(text).toContain('&lt;img src=x onerror=alert(1)&gt;');
    // Rebuilding the report changes nothing else.
    const after = hashTree(out);
    for (const [rel, hash] of before)
      if (rel.includes('seed-') || rel === FAILED_FILE) expect(after.get(rel)).toBe(hash);
  });

  it('run --queue refuses a forged result (a path as its name, or another run) and writes nothing outside --out', async () => {
    const root = tempDir();
    const out = join(root, 'results');
    const good = goodResult();
    workers.push(
      await startQueueWorker(parseQueueUrl(redis.url, 'worker'), {
        concurrency: 1,
        log: () => undefined,
        processor: async (job) => {
          const { run } = job.data as RunJobData;
          const forged = run.config.endsWith('tied') ? { experiment: '../../x' } : { seed: 5 };
          const metrics = Array.from({ length: run.settings.epochs + 1 }, (_, epoch) => ({
            ...good.metrics[0]!,
            epoch,
          }));
          return { metrics, record: { ...good.record, run: { ...run, ...forged } } };
        },
      }),
    );
    const result = await cli(
      'run',
      'suc-ones',
      '--quick',
      '--seeds',
      '0',
      '--queue',
      redis.url,
      '--out',
      out,
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /2 failed: .*refused: its result is not a run's record and metrics: "record\.run\.experiment"/,
    );
    expect(result.stdout).toMatch(/refused: its result is of another run than the one submitted/);
    expect(readdirSync(root)).toEqual(['results']);
    expect(existsSync(join(out, 'suc-ones'))).toBe(false);
  });
});
