import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';

const EXAMPLE = fileURLToPath(new URL('../examples/transformer.ts', import.meta.url));

/** The `// → …` comments of the example: what each `console.log` line prints, in order. */
function promisedOutput(source: string): string[] {
  return [...source.matchAll(/console\.log\(.*\/\/ → (.+)$/gm)].map((m) => m[1]!.trim());
}

describe('the transformer example (docs/examples/transformer.ts)', () => {
  afterEach(() => vi.restoreAllMocks());

  it('prints the accuracy its comment states, far above chance', async () => {
    const printed: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      printed.push(args.map(String).join(' '));
    });
    await import('../examples/transformer');
    const promised = promisedOutput(readFileSync(EXAMPLE, 'utf8'));
    expect(promised).toHaveLength(1);
    expect(printed).toEqual(promised);
    expect(Number(printed[0]!.split(' ')[1])).toBeGreaterThan(0.9);
  }, 120_000);
});
