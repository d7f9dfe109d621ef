import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { main } from '../src/program';

/** Output of one CLI invocation. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in-process (non-TTY output) and captures what it prints. */
export async function cli(...argv: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (t) => void (stdout += t), isTTY: false },
    stderr: { write: (t) => void (stderr += t) },
  });
  return { code, stdout, stderr };
}

/** A fresh empty temporary directory. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'fbt-repro-test-'));
}

/** Every file under `dir` (relative paths, sorted) with its bytes. */
export function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string): void => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const path = join(rel, name);
      if (statSync(join(dir, path)).isDirectory()) walk(path);
      else out.set(path, readFileSync(join(dir, path), 'utf8'));
    }
  };
  walk('');
  return out;
}

/** Temporary files (`*.tmp-<pid>-<hex>`) under `out`: a failed write must leave none. */
export function leftoverTemps(out: string): string[] {
  return [...snapshot(out).keys()].filter((path) => /\.tmp-\d+-[0-9a-f]+$/.test(path));
}

/**
 * Every file under `out` is whole: config.json and the other JSON files parse, every metrics.jsonl
 * line parses and every SVG ends with its closing tag (temporary files aside: see `leftoverTemps`).
 */
export function expectWholeFiles(out: string): void {
  for (const [path, text] of snapshot(out)) {
    if (path.endsWith('.json')) expect(() => JSON.parse(text), path).not.toThrow();
    if (path.endsWith('.svg')) expect(text.trimEnd(), path).toMatch(/<\/svg>$/);
    if (path.endsWith('metrics.jsonl'))
      for (const line of text.split('\n').filter((l) => l.length > 0))
        expect(() => JSON.parse(line), path).not.toThrow();
  }
}
