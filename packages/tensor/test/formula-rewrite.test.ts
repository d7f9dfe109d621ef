import { describe, expect, it } from 'vitest';
import {
  ArgumentError,
  ELEMENTWISE_OPS,
  compileScalar,
  mentionsName,
  parseExpr,
  parseFormula,
  printFormula,
  renameName,
  substituteName,
  withInputNames,
  type FormulaTree,
} from '../src';

const tree = (expr: string, names: readonly string[], params: readonly string[] = []): FormulaTree =>
  parseFormula(expr, names, params);

/** The value of `t` at `inputs` (by name) and `params` (by name), through the cpu compiler. */
function valueOf(t: FormulaTree, values: Readonly<Record<string, number>>): number {
  const fn = compileScalar(printFormula(t), t.names, t.paramNames);
  return fn(...t.names.map((n) => values[n]!), ...t.paramNames.map((p) => values[p]!));
}

describe('parseFormula / printFormula', () => {
  it('prints every op-table formula and gradient back to its text', () => {
    for (const op of ELEMENTWISE_OPS) {
      const params = Object.keys(op.params ?? {});
      expect(printFormula(tree(op.expr, op.inputs, params))).toBe(op.expr);
      if (op.gradient === 'none') continue;
      for (const g of op.gradient) {
        if (g !== null) expect(printFormula(tree(g, ['dy', 'y', ...op.inputs], params))).toBe(g);
      }
    }
  });

  it('keeps parentheses, number spellings and PI, and writes the house spacing', () => {
    expect(printFormula(tree('((a))*2.50+PI-1e-3', ['a']))).toBe('((a)) * 2.50 + PI - 1e-3');
    expect(printFormula(tree('a?-b:!c', ['a', 'b', 'c']))).toBe('a ? -b : !c');
    expect(printFormula(tree('max( a ,.5 )', ['a']))).toBe('max(a, .5)');
  });

  it('gives a tree that evaluates like parseExpr’s, whose groups are gone', () => {
    const t = tree('(a + b) * (2 - a)', ['a', 'b']);
    expect(t.root).toMatchObject({ kind: 'binary', left: { kind: 'group' }, right: { kind: 'group' } });
    expect(parseExpr('(a + b) * (2 - a)', ['a', 'b'], [])).toMatchObject({ left: { kind: 'binary' } });
    expect(valueOf(t, { a: 3, b: 4 })).toBe(-7);
  });

  it('adds the parentheses precedence needs to a tree without groups', () => {
    const names = ['a', 'b', 'c', 'd', 'e'];
    for (const [source, printed] of [
      ['(a + b) * -(c - d)', '(a + b) * -(c - d)'],
      ['a - (b - c)', 'a - (b - c)'],
      ['(a - b) - c', 'a - b - c'],
      ['(a ? b : c) ? d : e', '(a ? b : c) ? d : e'],
      ['a ? b : (c ? d : e)', 'a ? b : c ? d : e'],
      ['-(-a)', '- -a'],
      ['!(a < b) || c && d', '!(a < b) || c && d'],
      ['(a || b) && c', '(a || b) && c'],
    ] as const) {
      const abstract = { root: parseExpr(source, names, []), names, paramNames: [] };
      const text = printFormula(abstract);
      expect(text).toBe(printed);
      expect(parseExpr(text, names, [])).toEqual(abstract.root);
    }
  });

  it('throws what parseExpr throws, naming the op', () => {
    expect(() => parseFormula('a +', ['a'], [], 'myOp')).toThrow(/^myOp: expression 'a \+' does not parse/);
    expect(() => parseFormula('b', ['a'], [], 'myOp')).toThrow(ArgumentError);
  });
});

describe('substituteName', () => {
  it('splices a formula in parentheses, merging names and parameters in order', () => {
    const rule = tree('g * (1 - y * y) * s', ['g', 'y'], ['s']);
    const out = substituteName(rule, 'y', tree('tanh(x * s) + t', ['x'], ['t', 's']));
    expect(printFormula(out)).toBe('g * (1 - (tanh(x * s) + t) * (tanh(x * s) + t)) * s');
    expect(out.names).toEqual(['g', 'x']);
    expect(out.paramNames).toEqual(['s', 't']);
    const y = Math.tanh(0.3 * 2) + 0.5;
    expect(valueOf(out, { g: 3, x: 0.3, s: 2, t: 0.5 })).toBeCloseTo(3 * (1 - y * y) * 2, 12);
  });

  it('replaces whole names only, and keeps the other inputs', () => {
    const out = substituteName(tree('yy + y + max(y, yy)', ['y', 'yy']), 'y', tree('2', []));
    expect(printFormula(out)).toBe('yy + (2) + max((2), yy)');
    expect(out.names).toEqual(['yy']);
  });

  it('rejects a name that is not an input, and a name both an input and a parameter', () => {
    expect(() => substituteName(tree('a', ['a']), 'b', tree('1', []))).toThrow(
      "substituteName: 'b' is not an input of the formula; expected one of a",
    );
    expect(() => substituteName(tree('a * k', ['a'], ['k']), 'a', tree('k', ['k']))).toThrow(
      "substituteName: 'k' would be both an input and a parameter of the result; rename one first",
    );
  });
});

describe('renameName', () => {
  it('renames an input or a parameter, whole names only', () => {
    const t = tree('alpha * alphas + z', ['z'], ['alpha', 'alphas']);
    const out = renameName(renameName(t, 'alpha', 'phi_alpha'), 'z', 'x');
    expect(printFormula(out)).toBe('phi_alpha * alphas + x');
    expect(out.names).toEqual(['x']);
    expect(out.paramNames).toEqual(['phi_alpha', 'alphas']);
  });

  it('rejects an unknown name, a taken name and a bad name', () => {
    const t = tree('a * k', ['a'], ['k']);
    expect(() => renameName(t, 'b', 'c')).toThrow(
      "renameName: 'b' is neither an input nor a parameter of the formula",
    );
    expect(() => renameName(t, 'a', 'k')).toThrow("renameName: 'k' is already a name of the formula");
    expect(() => renameName(t, 'a', 'new')).toThrow(/^renameName: input name 'new' is not allowed/);
    expect(() => renameName(t, 'k', 'exp')).toThrow(/^renameName: param name 'exp' would hide/);
  });
});

describe('mentionsName / withInputNames', () => {
  it('tells which inputs and parameters a formula reads', () => {
    const t = tree('dphi2 + k', ['z', 'dphi', 'dphi2'], ['k', 'j']);
    expect(['z', 'dphi', 'dphi2', 'k', 'j'].map((n) => mentionsName(t, n))).toEqual([
      false,
      false,
      true,
      true,
      false,
    ]);
  });

  it('puts a formula over a kernel’s inputs, dropping unread ones, and rejects a missing one', () => {
    const t = withInputNames(tree('z - u', ['z', 'u', 'dphi']), ['g', 'u', 'z']);
    expect(t.names).toEqual(['g', 'u', 'z']);
    expect(printFormula(t)).toBe('z - u');
    expect(valueOf(t, { g: 9, u: 2, z: 5 })).toBe(3);
    expect(() => withInputNames(tree('z - u', ['z', 'u']), ['z'])).toThrow(
      "withInputNames: the formula reads 'u', which is not among the inputs z",
    );
  });
});

describe('compileScalar', () => {
  it('compiles once per formula and names, inputs then parameters', () => {
    const fn = compileScalar('max(0, 1 - abs(z) / w)', ['z'], ['w']);
    expect(fn(0.25, 1)).toBe(0.75);
    expect(compileScalar('max(0, 1 - abs(z) / w)', ['z'], ['w'])).toBe(fn);
    expect(compileScalar('sign(x) + floor(x)', ['x'], [])(0)).toBe(1);
  });

  it('throws an ArgumentError naming the op for a bad formula', () => {
    expect(() => compileScalar('z.constructor', ['z'], [], 'myOp')).toThrow(
      /^myOp: unexpected character '\.'/,
    );
  });
});
