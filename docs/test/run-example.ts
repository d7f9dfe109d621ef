import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { vi } from 'vitest';

/** The `// → …` comments of an example: what each `console.log` line prints, in order. */
export function promisedOutput(source: string): string[] {
  return [...source.matchAll(/console\.log\(.*\/\/ → (.+)$/gm)].map((m) => m[1]!.trim());
}

/** What an example printed and what its comments promise. */
export interface ExampleOutput {
  readonly printed: string[];
  readonly promised: string[];
}

/**
 * Runs `docs/examples/<name>.ts` (through `load`, a static `import()` so vite resolves it) with
 * `console.log` captured, and reads the lines its `// →` comments promise.
 */
export async function runExample(name: string, load: () => Promise<unknown>): Promise<ExampleOutput> {
  const printed: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    printed.push(args.map(String).join(' '));
  });
  try {
    await load();
  } finally {
    spy.mockRestore();
  }
  const source = readFileSync(fileURLToPath(new URL(`../examples/${name}.ts`, import.meta.url)), 'utf8');
  return { printed, promised: promisedOutput(source) };
}

/** The number after the label of a printed line (`tied 0.924` → 0.924). */
export function accuracyOf(line: string): number {
  return Number(line.split(' ').at(-1));
}
