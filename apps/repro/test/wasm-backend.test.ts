import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { engine } from '@fbt/tensor';
import type { RunRecord } from '../src/results/records';
import { cli, tempDir } from './helpers';

const WASM = engine().backendNames().includes('wasm');
if (!WASM) console.warn('wasm-backend test: @fbt/tensor registered no wasm backend here; skipping');

describe.skipIf(!WASM)('fbt-repro run --backend wasm', () => {
  it('trains on the wasm backend @fbt/tensor registered and records it', async () => {
    const out = tempDir();
    const { code, stderr } = await cli(
      'run',
      'suc-ones',
      '--seeds',
      '0',
      '--epochs',
      '2',
      '--backend',
      'wasm',
      '--out',
      out,
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const dir = join(out, 'suc-ones', 'constant', 'seed-0');
    const record = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as RunRecord;
    expect(record.run.backend).toBe('wasm');
    expect(record.environment.backend).toBe('wasm');
    // The CLI turns relaxed SIMD on where Node keeps it behind a flag (Node 20), as Node 22+ has it.
    expect(record.environment.backendMode).toBe('relaxedSimd');
    const last = JSON.parse(readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n')[2]!) as {
      testAccuracy: number;
    };
    expect(last.testAccuracy).toBeGreaterThan(0.9);
  });
});
