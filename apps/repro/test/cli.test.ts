import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { experimentNames } from '../src/experiments';
import { cli, tempDir } from './helpers';
import { UNIT_STUDY } from './fixtures';

describe('fbt-repro list', () => {
  it('lists every experiment with its table and its default and quick tiers', async () => {
    const { code, stdout } = await cli('list');
    expect(code).toBe(0);
    for (const name of experimentNames()) expect(stdout).toContain(`${name} (`);
    expect(stdout).toContain('Table 2');
    expect(stdout).toContain('quick tier: MNIST subsets of 3000 train / 1000 test images');
    expect(stdout).toContain('default tier: relu and linear forwards only');
  });
});

describe('bad input: exit code 2, one line, nothing written', () => {
  const cases: [string, string[], RegExp][] = [
    ['unknown experiment', ['run', 'nope'], /unknown experiment 'nope'; valid: suc-ones, .*, all/],
    ['unknown flag', ['run', 'suc-ones', '--fast'], /unknown option '--fast'/],
    ['bad seeds', ['run', 'suc-ones', '--seeds', '0,x'], /--seeds must be a comma-separated list/],
    ['repeated seed', ['run', 'suc-ones', '--seeds', '1,1'], /--seeds lists a seed twice/],
    ['zero epochs', ['run', 'suc-ones', '--epochs', '0'], /--epochs must be a positive integer/],
    ['negative lr', ['run', 'suc-ones', '--lr', '-1'], /--lr must be a positive number/],
    [
      'unknown backend',
      ['run', 'suc-ones', '--backend', 'tpu'],
      /--backend: unknown backend 'tpu'; valid: cpu, gpu(, wasm)?\n$/,
    ],
    ['nothing to run', ['run'], /name at least one experiment/],
    [
      'two tiers',
      ['run', 'suc-ones', '--quick', '--full'],
      /option '--quick' cannot be used with option '--full'/,
    ],
    [
      'a config pattern that matches nothing',
      ['run', 'jamming', '--configs', 'mnist-tanh-*'],
      /--configs: 'mnist-tanh-\*' matches no config; valid ids: mnist-relu-tied, /,
    ],
    [
      'a malformed config pattern',
      ['run', 'jamming', '--configs', 'a/b'],
      /--configs must be comma-separated/,
    ],
    ['unknown command', ['train'], /unknown command 'train'/],
    [
      'missing config file',
      ['run', '--config', '/nonexistent/x.json'],
      /cannot read config file \/nonexistent\/x.json: ENOENT/,
    ],
  ];
  for (const [what, argv, message] of cases) {
    it(what, async () => {
      const out = join(tempDir(), 'results');
      const { code, stderr, stdout } = await cli(...argv, '--out', out);
      expect(code).toBe(2);
      expect(stderr).toMatch(message);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stdout).toBe('');
      expect(existsSync(out)).toBe(false);
    });
  }

  it('a config with an unknown rule names it and what is valid', async () => {
    const dir = tempDir();
    const file = join(dir, 'study.json');
    writeFileSync(file, JSON.stringify({ ...UNIT_STUDY, rules: [{ name: 'wobbly' }] }));
    const out = join(dir, 'results');
    const { code, stderr } = await cli('run', '--config', file, '--out', out);
    expect(code).toBe(2);
    expect(stderr).toMatch(/"rules\[0\]".*wobbly/);
    expect(stderr).toMatch(/rectangular/);
    expect(existsSync(out)).toBe(false);
  });

  it('a config that is not JSON', async () => {
    const dir = tempDir();
    const file = join(dir, 'bad.json');
    writeFileSync(file, '{ name: ');
    const { code, stderr } = await cli('run', '--config', file, '--out', join(dir, 'results'));
    expect(code).toBe(2);
    expect(stderr).toMatch(/bad.json is not valid JSON/);
    expect(existsSync(join(dir, 'results'))).toBe(false);
  });

  it('fetch of an unknown data set or into an empty --dir', async () => {
    for (const [argv, message] of [
      [
        ['fetch', 'cifar'],
        /^fbt-repro: fetch: unknown data set 'cifar'; valid: mnist, fashion-mnist, all\n$/,
      ],
      [['fetch', 'mnist', '--dir', ''], /^fbt-repro: fetch: --dir is empty; expected a folder path\n$/],
    ] as const) {
      const { code, stderr, stdout } = await cli(...argv);
      expect(code).toBe(2);
      expect(stderr).toMatch(message);
      expect(stdout).toBe('');
    }
  });

  it('report on a directory without runs', async () => {
    const dir = tempDir();
    const { code, stderr } = await cli('report', dir);
    expect(code).toBe(2);
    expect(stderr).toMatch(/no finished runs under/);
    expect(existsSync(join(dir, 'REPORT.md'))).toBe(false);
  });
});
