import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { suc } from './fixtures';
import { cli, snapshot, tempDir } from './helpers';

const rerun = ['run', 'suc-ones', '--full', '--configs', 'tied', '--seeds', '0', '--backend', 'cpu'];

describe('finished results are never silently replaced', () => {
  it('refuses a rerun with other settings before any work, naming the run and both settings', async () => {
    const out = tempDir();
    suc(out, 'tied', 0, [0.5, 0.9, 1], [1, 1]);
    const before = snapshot(out);
    const { code, stdout, stderr } = await cli(...rerun, '--epochs', '1', '--out', out);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain(join(out, 'suc-ones', 'tied', 'seed-0'));
    expect(stderr).toContain('(recorded → planned: settings.epochs 2 → 1)');
    expect(stderr).toMatch(/pass --overwrite to replace it/);
    expect(snapshot(out)).toEqual(before);
  });

  it('replaces it with --overwrite', async () => {
    const out = tempDir();
    suc(out, 'tied', 0, [0.5, 0.9, 1], [1, 1]);
    const { code } = await cli(...rerun, '--epochs', '1', '--workers', '1', '--overwrite', '--out', out);
    expect(code).toBe(0);
    const config = JSON.parse(
      readFileSync(join(out, 'suc-ones', 'tied', 'seed-0', 'config.json'), 'utf8'),
    ) as {
      run: { settings: { epochs: number } };
    };
    expect(config.run.settings.epochs).toBe(1);
  });
});
