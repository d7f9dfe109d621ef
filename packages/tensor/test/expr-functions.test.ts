import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXPR_FUNCTIONS, EXPR_FUNCTION_NAMES, EXPR_FUNCTION_TABLE, compileScalar, exprHelpers } from '../src';

/** The rows of the docs' table of built-ins (between its markers), as [function, arguments, special values]. */
function documentedRows(): string[][] {
  const page = readFileSync(new URL('../../../docs/internals/kernels.md', import.meta.url), 'utf8');
  const section = /<!-- expr-functions:start -->([\s\S]*?)<!-- expr-functions:end -->/.exec(page);
  if (section === null) throw new Error('docs/internals/kernels.md: no expr-functions markers');
  return section[1]!
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .slice(2)
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
}

describe('EXPR_FUNCTION_TABLE', () => {
  it('has one record per built-in, under its own name, and is what validation accepts', () => {
    expect(Object.keys(EXPR_FUNCTION_TABLE)).toEqual([...EXPR_FUNCTION_NAMES]);
    for (const [name, fn] of Object.entries(EXPR_FUNCTION_TABLE)) expect(fn.name).toBe(name);
    expect(EXPR_FUNCTIONS).toEqual([...EXPR_FUNCTION_NAMES]);
  });

  it('declares each helper under its name and parameters', () => {
    for (const target of ['js', 'gpu'] as const) {
      for (const h of exprHelpers(target))
        expect(h.source).toContain(`function ${h.name}(${h.args.join(', ')}) {`);
    }
  });

  it('gives the cpu compiler every built-in under its own name, with its js spelling', () => {
    const helpers: Readonly<Record<string, number>> = { sign: -1, erf: -0.6778011938374184 };
    for (const fn of Object.values(EXPR_FUNCTION_TABLE)) {
      const args = fn.arity === 1 ? ['x'] : ['x', 'y'];
      const value = compileScalar(`${fn.name}(${args.join(', ')})`, args, [])(-0.7, 3);
      if ('math' in fn.js) {
        const member = Math[fn.js.math.slice('Math.'.length) as 'pow'];
        expect(value).toBe(member(-0.7, 3));
      } else expect(value).toBeCloseTo(helpers[fn.name]!, 6);
    }
  });

  it('is what docs/internals/kernels.md lists', () => {
    const expected = Object.values(EXPR_FUNCTION_TABLE).map((f) => [
      `\`${f.name}\``,
      String(f.arity),
      f.special,
    ]);
    expect(documentedRows()).toEqual(expected);
  });
});
