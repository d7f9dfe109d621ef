import { existsSync, lstatSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from './helpers';

const RUN = ['run', 'suc-ones', '--seeds', '0', '--epochs', '1', '--workers', '1', '--backend', 'cpu'];

describe('--out that is a dangling symbolic link (issue 23, group 8)', () => {
  it('is refused before any work, in one line naming the link and its missing target', async () => {
    const dir = tempDir();
    const target = join(dir, 'gone', 'results');
    const out = join(dir, 'results');
    symlinkSync(target, out);
    for (const argv of [RUN, ['collect', '--queue', 'redis://127.0.0.1:1']]) {
      const { code, stdout, stderr } = await cli(...argv, '--out', out);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toBe(
        `fbt-repro: --out ${out}: ${out} is a symbolic link to ${target}, which does not exist; expected a folder (or a path inside one)\n`,
      );
    }
    expect(readdirSync(dir)).toEqual(['results']);
    expect(lstatSync(out).isSymbolicLink()).toBe(true);
  });

  it('a dangling link further up the path is refused the same way', async () => {
    const dir = tempDir();
    symlinkSync(join(dir, 'nowhere'), join(dir, 'link'));
    const { code, stderr } = await cli(...RUN, '--out', join(dir, 'link', 'results'));
    expect(code).toBe(2);
    expect(stderr).toMatch(/link is a symbolic link to .*nowhere, which does not exist/);
    expect(existsSync(join(dir, 'nowhere'))).toBe(false);
  });

  it('a link to an existing folder is followed', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'real'));
    symlinkSync(join(dir, 'real'), join(dir, 'results'));
    const { code, stderr } = await cli(...RUN, '--configs', 'tied', '--out', join(dir, 'results'));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(existsSync(join(dir, 'real', 'suc-ones', 'tied', 'seed-0', 'metrics.jsonl'))).toBe(true);
  });
});
