import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';

const EXAMPLE = fileURLToPath(new URL('../examples/spiking.ts', import.meta.url));

/** The `// → …` comments of the example: what each `console.log` line prints, in order. */
function promisedOutput(source: string): string[] {
  return [...source.matchAll(/console\.log\(.*\/\/ → (.+)$/gm)].map((m) => m[1]!.trim());
}

describe('the spiking example (docs/examples/spiking.ts)', () => {
  afterEach(() => vi.restoreAllMocks());

  it('prints the accuracies its comments state: atan learns DIGITS, tied stays at chance', async () => {
    const printed: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      printed.push(args.map(String).join(' '));
    });
    await import('../examples/spiking');
    const promised = promisedOutput(readFileSync(EXAMPLE, 'utf8'));
    expect(promised).toHaveLength(2);
    expect(printed).toEqual(promised);
    const [atan, tied] = printed.map((line) => Number(line.split(' ')[1]));
    expect(atan).toBeGreaterThanOrEqual(0.9);
    expect(tied).toBeLessThanOrEqual(0.15);
  }, 180_000);
});
