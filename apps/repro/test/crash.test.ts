import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli, expectWholeFiles, tempDir } from './helpers';

/** The built CLI, run as a separate process so that it can be killed with SIGKILL. */
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
/** Two runs of 40 epochs each, one worker: every epoch rewrites metrics.jsonl (write, fsync, rename). */
const ARGS = ['run', 'suc-ones', '--seeds', '0', '--epochs', '40', '--workers', '1'];

/** Starts the CLI and kills it with SIGKILL `delayMs` after it prints its first line (training has begun). */
function killAfter(out: string, delayMs: number): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...ARGS, '--out', out], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let armed = false;
    child.stdout.on('data', () => {
      if (armed) return;
      armed = true;
      setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.on('exit', () => resolve());
  });
}

/** metrics.jsonl without the wall-clock field, which no two runs share. */
function withoutSeconds(text: string): string {
  return text.replace(/"seconds":[^,}]*/g, '"seconds":_');
}

describe.skipIf(!existsSync(CLI))('a run killed with SIGKILL while it writes its files', () => {
  it('leaves no torn file; rerunning resumes to the same numbers as an uninterrupted run, and report works', async () => {
    const reference = tempDir();
    expect((await cli(...ARGS, '--out', reference)).code).toBe(0);

    const out = tempDir();
    // Kills spread over the run: before the first record, between epochs, during the report.
    let interrupted = 0;
    for (const delay of [0, 5, 10, 20, 35, 50, 80, 120, 180, 260, 400, 600]) {
      await killAfter(out, delay);
      expectWholeFiles(out);
      if (!existsSync(join(out, 'REPORT.md'))) interrupted++;
    }
    expect(interrupted).toBeGreaterThan(0); // the kills did land mid-run
    const resumed = await cli(...ARGS, '--out', out);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    for (const config of ['tied', 'constant']) {
      const rel = join('suc-ones', config, 'seed-0', 'metrics.jsonl');
      expect(withoutSeconds(readFileSync(join(out, rel), 'utf8'))).toBe(
        withoutSeconds(readFileSync(join(reference, rel), 'utf8')),
      );
      // no temporary file of a killed process is left behind in a run directory
      expect(readdirSync(join(out, 'suc-ones', config, 'seed-0')).sort()).toEqual([
        'config.json',
        'metrics.jsonl',
      ]);
    }
    const report = await cli('report', out);
    expect(report.code).toBe(0);
    expect(readFileSync(join(out, 'REPORT.md'), 'utf8')).toContain('## suc-ones');
  }, 120_000);
});
