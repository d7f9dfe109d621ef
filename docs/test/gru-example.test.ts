import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';

const EXAMPLE = fileURLToPath(new URL('../examples/gru.ts', import.meta.url));

/** The `// → …` comments of the example: what each `console.log` line prints, in order. */
function promisedOutput(source: string): string[] {
  return [...source.matchAll(/console\.log\(.*\/\/ → (.+)$/gm)].map((m) => m[1]!.trim());
}

describe('the GRU example (docs/examples/gru.ts)', () => {
  afterEach(() => vi.restoreAllMocks());

  it('prints the accuracies its comments state, both far above chance (about 0.5)', async () => {
    const printed: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      printed.push(args.map(String).join(' '));
    });
    await import('../examples/gru');
    const promised = promisedOutput(readFileSync(EXAMPLE, 'utf8'));
    expect(promised).toHaveLength(2);
    expect(printed).toEqual(promised);
    for (const line of printed) expect(Number(line.split(' ')[1])).toBeGreaterThan(0.85);
  }, 120_000);
});
