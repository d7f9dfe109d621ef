import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runExample } from './run-example';

const EXAMPLE = fileURLToPath(new URL('../examples/two-moons.ts', import.meta.url));
const README = fileURLToPath(new URL('../../README.md', import.meta.url));
/** Pages whose prose quotes the example's accuracies. */
const PAGES_QUOTING = [
  README,
  ...['../index.md', '../guide/getting-started.md'].map((p) => fileURLToPath(new URL(p, import.meta.url))),
];

/** The first ```ts block of a Markdown file. */
function firstTsBlock(markdown: string): string {
  const match = /```ts\n([\s\S]*?)```/.exec(markdown);
  if (match === null) throw new Error('no ```ts block found');
  return match[1]!;
}

describe('the README example (docs/examples/two-moons.ts)', () => {
  it('is the first code block of the root README, verbatim', () => {
    expect(firstTsBlock(readFileSync(README, 'utf8'))).toBe(readFileSync(EXAMPLE, 'utf8'));
  });

  it('prints the accuracies its comments state, and rectangular beats tied', async () => {
    const { printed, promised } = await runExample('two-moons', () => import('../examples/two-moons'));
    expect(promised).toHaveLength(2);
    expect(printed).toEqual(promised);
    const [tied, rectangular] = printed.map((line) => line.split(' ')[1]!);
    expect(Number(rectangular) - Number(tied)).toBeGreaterThan(0.1);
    // The pages that introduce the library quote the same numbers.
    for (const page of PAGES_QUOTING) {
      const text = readFileSync(page, 'utf8');
      expect(text, page).toContain(tied);
      expect(text, page).toContain(rectangular);
    }
  }, 120_000);
});
