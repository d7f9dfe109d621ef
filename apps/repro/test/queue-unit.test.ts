import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { selectExperiments, planRuns } from '../src/run/plan';
import { parseQueueUrl, redact } from '../src/queue/connection';
import { jobIdOf, validateJobData } from '../src/queue/jobs';
import { cli, tempDir } from './helpers';

const runs = planRuns(selectExperiments(['suc-ones'], 'quick'), { seeds: [0] }, 'quick', 'cpu');

describe('--queue URLs', () => {
  it('parses host, port, db, user and password, and TLS for rediss://', () => {
    const t = parseQueueUrl('rediss://fbt:s%40cret@queue.example:6380/2', 'worker');
    expect(t.options).toMatchObject({
      host: 'queue.example',
      port: 6380,
      db: 2,
      username: 'fbt',
      password: 's@cret',
    });
    expect(t.options.tls).toEqual({ servername: 'queue.example' });
    expect(t.options.maxRetriesPerRequest).toBeNull();
    expect(t.display).toBe('rediss://fbt:***@queue.example:6380/2');
    expect(parseQueueUrl('redis://localhost', 'submitter').options).toMatchObject({ port: 6379, db: 0 });
  });

  it('redacts the password of every redis URL in a message', () => {
    expect(redact('connect to redis://:pw@h:1 and rediss://u:p%20w@h:2/0 failed')).toBe(
      'connect to redis://:***@h:1 and rediss://u:***@h:2/0 failed',
    );
  });

  const bad: [string, RegExp][] = [
    ['http://:hunter2@h:1', /unsupported scheme 'http:'/],
    ['redis://:hunter2@h:1/x', /is not a database number/],
    ['not a url hunter2', /the value is not a URL/],
    ['redis://:hunter2@h:99999', /the value is not a URL/],
  ];
  for (const [url, message] of bad) {
    it(`refuses ${url.replace('hunter2', '***')} with one line, exit 2, no password`, async () => {
      const out = join(tempDir(), 'results');
      const { code, stderr } = await cli('run', 'suc-ones', '--quick', '--queue', url, '--out', out);
      expect(code).toBe(2);
      expect(stderr).toMatch(message);
      expect(stderr).not.toContain('hunter2');
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(existsSync(out)).toBe(false);
    });
  }

  it('worker and collect refuse a bad URL the same way', async () => {
    for (const argv of [['worker'], ['collect']]) {
      const { code, stderr } = await cli(...argv, '--queue', 'ftp://:hunter2@h');
      expect(code).toBe(2);
      expect(stderr).toMatch(/^fbt-repro: --queue: unsupported scheme 'ftp:' in ftp:\/\/:\*\*\*@h/);
    }
  });

  it('says when Redis cannot be reached, without the password', async () => {
    const { code, stderr } = await cli(
      'run',
      'suc-ones',
      '--quick',
      '--queue',
      'redis://:hunter2@127.0.0.1:1',
    );
    expect(code).toBe(2);
    expect(stderr).toMatch(/cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1: .*ECONNREFUSED/);
    expect(stderr).not.toContain('hunter2');
  });
});

describe('job ids', () => {
  it('derive from the run identity: stable, one per run, new for a changed setting or version', () => {
    const ids = runs.map((r) => jobIdOf(r, { '@fbt/repro': '0.1.0' }));
    expect(new Set(ids).size).toBe(runs.length);
    expect(ids[0]).toMatch(/^suc-ones\.tied\.seed-0\.[0-9a-f]{16}$/);
    expect(jobIdOf(runs[0]!, { '@fbt/repro': '0.1.0' })).toBe(ids[0]);
    const changed = { ...runs[0]!, settings: { ...runs[0]!.settings, epochs: 3 } };
    expect(jobIdOf(changed, { '@fbt/repro': '0.1.0' })).not.toBe(ids[0]);
    expect(jobIdOf({ ...runs[0]!, tier: 'default' }, { '@fbt/repro': '0.1.0' })).not.toBe(ids[0]);
    expect(jobIdOf(runs[0]!, { '@fbt/repro': '0.2.0' })).not.toBe(ids[0]);
  });
});

describe('job payload validation', () => {
  it('accepts a planned run', () => {
    expect(validateJobData({ run: runs[0] })).toEqual(runs[0]);
  });
  const run = runs[0]!;
  const cases: [string, unknown, RegExp][] = [
    ['no run', { spec: run }, /expected \{ run: /],
    [
      'an extra settings key',
      { run: { ...run, settings: { ...run.settings, evil: 1 } } },
      /expected \{ run: /,
    ],
    ['a path in the config id', { run: { ...run, config: '../../etc' } }, /"run.config" is "..\/..\/etc"/],
    ['a negative seed', { run: { ...run, seed: -1 } }, /"run.seed" is -1/],
    ['an unknown tier', { run: { ...run, tier: 'huge' } }, /"run.tier" is "huge"/],
    ['an unknown backend', { run: { ...run, backend: 'tpu' } }, /unknown backend 'tpu'/],
    [
      'a bad learning rate',
      { run: { ...run, settings: { ...run.settings, optimizer: { name: 'sgd', lr: -1, momentum: 0 } } } },
      /"optimizer.lr" is -1/,
    ],
    [
      'an unknown rule',
      { run: { ...run, settings: { ...run.settings, rule: { name: 'nope' } } } },
      /"rules\[0\]"/,
    ],
  ];
  for (const [what, data, message] of cases) {
    it(`refuses ${what}`, () => expect(() => validateJobData(data)).toThrow(message));
  }
});
