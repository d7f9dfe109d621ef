import { ArgumentError } from '../errors';
import { EXPR_FUNCTION_TABLE, type ExprFunctionName } from './functions';
import { validateExpr, type ExprToken } from './syntax';

/**
 * A node of a parsed `mapExpr` expression: the syntax tree every backend lowers. Inputs and params
 * are numbered in declaration order; the constant `PI` is a number node. Trees from `parseFormula`
 * also keep the source's spelling, for `printFormula`: a number's text (`PI` for the constant) and
 * each pair of parentheses as a `group` node (which evaluates as its `inner` node).
 */
export type ExprNode =
  | { readonly kind: 'number'; readonly value: number; readonly text?: string }
  | { readonly kind: 'group'; readonly inner: ExprNode }
  | { readonly kind: 'input'; readonly index: number }
  | { readonly kind: 'param'; readonly index: number }
  | { readonly kind: 'unary'; readonly op: string; readonly arg: ExprNode }
  | { readonly kind: 'binary'; readonly op: string; readonly left: ExprNode; readonly right: ExprNode }
  | {
      readonly kind: 'conditional';
      readonly test: ExprNode;
      readonly then: ExprNode;
      readonly otherwise: ExprNode;
    }
  | { readonly kind: 'call'; readonly fn: ExprFunctionName; readonly args: readonly ExprNode[] };

/** Binding power of the binary operators, as in JavaScript (higher binds tighter). */
export const PRECEDENCE: Readonly<Record<string, number>> = {
  '||': 1,
  '&&': 2,
  '==': 3,
  '!=': 3,
  '===': 3,
  '!==': 3,
  '<': 4,
  '<=': 4,
  '>': 4,
  '>=': 4,
  '+': 5,
  '-': 5,
  '*': 6,
  '/': 6,
};

const cache = new Map<string, ExprNode>();

/**
 * Validates `expr` (`validateExpr`) and parses it with JavaScript's precedence and associativity,
 * checking each function's number of arguments. Throws an `ArgumentError` naming `op` for a bad
 * token, an incomplete formula ("does not parse") or a wrong argument count. Cached per
 * (expression, names, parameter names); the tree is shared, so never mutate it.
 *
 * @example parseExpr('max(z, 0) * w', ['z'], ['w']); // { kind: 'binary', op: '*', … }
 */
export function parseExpr(
  expr: string,
  names: readonly string[],
  paramNames: readonly string[],
  op = 'mapExpr',
): ExprNode {
  const key = `${names.join(',')}|${paramNames.join(',')}|${op}|${expr}`;
  let root = cache.get(key);
  if (root === undefined) {
    root = parseTokens(expr, validateExpr(expr, names, paramNames, op), names, paramNames, op, false);
    cache.set(key, root);
  }
  return root;
}

/**
 * A formula as a tree with the names its leaves refer to (`input` k is `names[k]`, `param` k is
 * `paramNames[k]`): what the rewrites of `formula/rewrite.ts` take and give.
 */
export interface FormulaTree {
  /** The root node. */
  readonly root: ExprNode;
  /** Input names, in kernel input order. */
  readonly names: readonly string[];
  /** Parameter names. */
  readonly paramNames: readonly string[];
}

const sourceCache = new Map<string, FormulaTree>();

/**
 * Parses `expr` like `parseExpr` (same checks, same errors naming `op`), keeping its spelling:
 * parentheses as `group` nodes and each number's text, so that `printFormula` gives `expr` back
 * with the house spacing (one space around binary operators, `? :` and after commas). Cached; the
 * tree is shared, so never mutate it.
 *
 * @example printFormula(parseFormula('g * (1 - y)', ['g', 'y'], [])); // 'g * (1 - y)'
 */
export function parseFormula(
  expr: string,
  names: readonly string[],
  paramNames: readonly string[],
  op = 'mapExpr',
): FormulaTree {
  const key = `${names.join(',')}|${paramNames.join(',')}|${op}|${expr}`;
  let tree = sourceCache.get(key);
  if (tree === undefined) {
    const tokens = validateExpr(expr, names, paramNames, op);
    const root = parseTokens(expr, tokens, names, paramNames, op, true);
    tree = Object.freeze({ root, names: [...names], paramNames: [...paramNames] });
    sourceCache.set(key, tree);
  }
  return tree;
}

function parseTokens(
  expr: string,
  tokens: readonly ExprToken[],
  names: readonly string[],
  paramNames: readonly string[],
  op: string,
  keepSpelling: boolean,
): ExprNode {
  let pos = 0;
  const fail = (why: string): never => {
    throw new ArgumentError(
      `${op}: expression '${expr}' does not parse (${why}); expected a complete formula`,
    );
  };
  const peek = (): ExprToken | undefined => tokens[pos];
  const isOp = (text: string): boolean => peek()?.kind === 'operator' && peek()!.text === text;
  const expect = (text: string): void => {
    if (!isOp(text)) fail(`expected '${text}' at token ${pos + 1}, got '${peek()?.text ?? 'the end'}'`);
    pos++;
  };

  const conditional = (): ExprNode => {
    const test = binary(1);
    if (!isOp('?')) return test;
    pos++;
    const then = conditional();
    expect(':');
    return { kind: 'conditional', test, then, otherwise: conditional() };
  };

  const binary = (minPrecedence: number): ExprNode => {
    let left = unary();
    for (;;) {
      const token = peek();
      const precedence = token?.kind === 'operator' ? PRECEDENCE[token.text] : undefined;
      if (precedence === undefined || precedence < minPrecedence) return left;
      pos++;
      left = { kind: 'binary', op: token!.text, left, right: binary(precedence + 1) };
    }
  };

  const unary = (): ExprNode => {
    if (isOp('-') || isOp('+') || isOp('!')) {
      const op = tokens[pos++]!.text;
      return { kind: 'unary', op, arg: unary() };
    }
    return primary();
  };

  const primary = (): ExprNode => {
    const token = tokens[pos++];
    if (token === undefined) return fail('unexpected end');
    switch (token.kind) {
      case 'number':
      case 'constant': {
        const value = token.kind === 'number' ? Number(token.text) : Math.PI;
        return keepSpelling ? { kind: 'number', value, text: token.text } : { kind: 'number', value };
      }
      case 'name':
        return { kind: 'input', index: names.indexOf(token.text) };
      case 'param':
        return { kind: 'param', index: paramNames.indexOf(token.text) };
      case 'function': {
        expect('(');
        const args: ExprNode[] = [];
        if (!isOp(')')) {
          args.push(conditional());
          while (isOp(',')) {
            pos++;
            args.push(conditional());
          }
        }
        expect(')');
        const fn = EXPR_FUNCTION_TABLE[token.text as ExprFunctionName];
        if (args.length !== fn.arity)
          fail(`${fn.name} takes ${fn.arity} argument${fn.arity === 1 ? '' : 's'}, got ${args.length}`);
        return { kind: 'call', fn: fn.name, args };
      }
      default: {
        if (token.text !== '(') return fail(`unexpected '${token.text}' at token ${pos}`);
        const inner = conditional();
        expect(')');
        return keepSpelling ? { kind: 'group', inner } : inner;
      }
    }
  };

  const root = conditional();
  if (pos < tokens.length) fail(`unexpected '${tokens[pos]!.text}' at token ${pos + 1}`);
  return root;
}
