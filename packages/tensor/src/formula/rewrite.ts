import { ArgumentError } from '../errors';
import { PRECEDENCE, type ExprNode, type FormulaTree } from './parse';
import { assertExprName } from './syntax';

/**
 * Rewrites of parsed formulas (`parseFormula`): splicing one formula into another, renaming an
 * input or parameter, asking whether a name is read, and printing the tree back to the expression
 * language. Formulas are edited as trees, never as text, so a rewrite cannot touch part of a name.
 */

type Leaf = Extract<ExprNode, { kind: 'input' | 'param' }>;

/** `node` with each input and parameter leaf replaced by `leaf(it)`. */
function mapLeaves(node: ExprNode, leaf: (node: Leaf) => ExprNode): ExprNode {
  const map = (n: ExprNode): ExprNode => mapLeaves(n, leaf);
  switch (node.kind) {
    case 'number':
      return node;
    case 'input':
    case 'param':
      return leaf(node);
    case 'group':
      return { kind: 'group', inner: map(node.inner) };
    case 'unary':
      return { kind: 'unary', op: node.op, arg: map(node.arg) };
    case 'binary':
      return { kind: 'binary', op: node.op, left: map(node.left), right: map(node.right) };
    case 'conditional':
      return {
        kind: 'conditional',
        test: map(node.test),
        then: map(node.then),
        otherwise: map(node.otherwise),
      };
    case 'call':
      return { kind: 'call', fn: node.fn, args: node.args.map(map) };
  }
}

/** The name a leaf of `tree` refers to. */
function leafName(tree: FormulaTree, leaf: Leaf): string {
  return (leaf.kind === 'input' ? tree.names : tree.paramNames)[leaf.index]!;
}

/** `tree`'s root over other name lists, each leaf keeping its name (which `names`/`paramNames` must hold). */
function reindex(tree: FormulaTree, names: readonly string[], paramNames: readonly string[]): ExprNode {
  return mapLeaves(tree.root, (leaf) => {
    const list = leaf.kind === 'input' ? names : paramNames;
    return { kind: leaf.kind, index: list.indexOf(leafName(tree, leaf)) };
  });
}

/** True when `tree` reads the input or parameter `name`. */
export function mentionsName(tree: FormulaTree, name: string): boolean {
  let found = false;
  mapLeaves(tree.root, (leaf) => {
    if (leafName(tree, leaf) === name) found = true;
    return leaf;
  });
  return found;
}

/** `names` followed by those of `more` it lacks. */
function union(names: readonly string[], more: readonly string[]): string[] {
  return [...names, ...more.filter((n) => !names.includes(n))];
}

/**
 * Replaces every read of the input `name` of `tree` by the formula `by`, in parentheses (a `group`
 * node). The result's inputs are `tree`'s less `name`, then those of `by` it lacks; its parameters
 * are `tree`'s then those of `by` it lacks (a parameter both declare is the same parameter). Throws
 * an `ArgumentError` when `name` is not an input of `tree`, or a name would be both an input and a
 * parameter of the result.
 *
 * @example
 * const rule = parseFormula('g * (1 - y * y)', ['g', 'y'], []);
 * printFormula(substituteName(rule, 'y', parseFormula('tanh(x)', ['x'], []))); // 'g * (1 - (tanh(x)) * (tanh(x)))'
 */
export function substituteName(tree: FormulaTree, name: string, by: FormulaTree): FormulaTree {
  const at = tree.names.indexOf(name);
  if (at < 0) {
    throw new ArgumentError(
      `substituteName: '${name}' is not an input of the formula; expected one of ${tree.names.join(', ') || 'none'}`,
    );
  }
  const names = union(
    tree.names.filter((n) => n !== name),
    by.names,
  );
  const paramNames = union(tree.paramNames, by.paramNames);
  const clash = names.find((n) => paramNames.includes(n));
  if (clash !== undefined) {
    throw new ArgumentError(
      `substituteName: '${clash}' would be both an input and a parameter of the result; rename one first`,
    );
  }
  const replacement: ExprNode = { kind: 'group', inner: reindex(by, names, paramNames) };
  const root = mapLeaves(tree.root, (leaf) =>
    leaf.kind === 'input' && leaf.index === at
      ? replacement
      : {
          kind: leaf.kind,
          index: (leaf.kind === 'input' ? names : paramNames).indexOf(leafName(tree, leaf)),
        },
  );
  return Object.freeze({ root, names, paramNames });
}

/**
 * Renames the input or parameter `from` of `tree` to `to` (the tree itself is unchanged: leaves
 * refer to names by position). Throws an `ArgumentError` when `from` is not a name of `tree`, `to`
 * is already one, or `to` is not a valid name (`assertExprName`).
 *
 * @example printFormula(renameName(parseFormula('z > 0 ? 1 : alpha', ['z'], ['alpha']), 'alpha', 'phi_alpha')); // 'z > 0 ? 1 : phi_alpha'
 */
export function renameName(tree: FormulaTree, from: string, to: string): FormulaTree {
  const isInput = tree.names.includes(from);
  if (!isInput && !tree.paramNames.includes(from)) {
    throw new ArgumentError(`renameName: '${from}' is neither an input nor a parameter of the formula`);
  }
  assertExprName(to, 'renameName', isInput ? 'input' : 'param');
  if (tree.names.includes(to) || tree.paramNames.includes(to)) {
    throw new ArgumentError(`renameName: '${to}' is already a name of the formula; choose another name`);
  }
  const swap = (list: readonly string[]): string[] => list.map((n) => (n === from ? to : n));
  return Object.freeze({ root: tree.root, names: swap(tree.names), paramNames: swap(tree.paramNames) });
}

/**
 * `tree` over exactly the inputs `names`, in that order (a kernel's input order): inputs it does
 * not read may be dropped or added. Throws an `ArgumentError` naming an input it reads that
 * `names` lacks.
 *
 * @example withInputNames(parseFormula('z * 2', ['z', 'u'], []), ['g', 'z']).names; // ['g', 'z']
 */
export function withInputNames(tree: FormulaTree, names: readonly string[]): FormulaTree {
  const missing = tree.names.find((n) => !names.includes(n) && mentionsName(tree, n));
  if (missing !== undefined) {
    throw new ArgumentError(
      `withInputNames: the formula reads '${missing}', which is not among the inputs ${names.join(', ') || 'none'}`,
    );
  }
  return Object.freeze({
    root: reindex(tree, names, tree.paramNames),
    names: [...names],
    paramNames: tree.paramNames,
  });
}

/** Binding powers beside `PRECEDENCE`'s: `? :` binds loosest, then unary operators, then atoms. */
const CONDITIONAL = 0;
const UNARY = 7;
const ATOM = 8;

function binding(node: ExprNode): number {
  if (node.kind === 'conditional') return CONDITIONAL;
  if (node.kind === 'binary') return PRECEDENCE[node.op]!;
  return node.kind === 'unary' ? UNARY : ATOM;
}

/**
 * Writes a formula in the expression language: names from the tree's lists, numbers as written
 * (their `text`), `group` nodes as parentheses, one space around binary operators and `? :`, one
 * after each comma. A tree parsed by `parseFormula` prints as its source in that spacing; nodes
 * built otherwise get the parentheses their precedence needs, so the text always parses back to
 * the same tree.
 *
 * @example printFormula(parseFormula('max(z, 0) * w', ['z'], ['w'])); // 'max(z, 0) * w'
 */
export function printFormula(tree: FormulaTree): string {
  const print = (node: ExprNode, least = CONDITIONAL): string => {
    const text = spell(node);
    return binding(node) < least ? `(${text})` : text;
  };
  const spell = (node: ExprNode): string => {
    switch (node.kind) {
      case 'number':
        return node.text ?? String(node.value);
      case 'input':
      case 'param':
        return leafName(tree, node);
      case 'group':
        return `(${print(node.inner)})`;
      case 'unary': {
        const arg = print(node.arg, UNARY);
        // `- -x`, not the decrement `--x`.
        return `${node.op}${arg.startsWith(node.op) && node.op !== '!' ? ' ' : ''}${arg}`;
      }
      case 'binary': {
        const power = PRECEDENCE[node.op]!;
        return `${print(node.left, power)} ${node.op} ${print(node.right, power + 1)}`;
      }
      case 'conditional':
        return `${print(node.test, CONDITIONAL + 1)} ? ${print(node.then)} : ${print(node.otherwise)}`;
      case 'call':
        return `${node.fn}(${node.args.map((a) => print(a)).join(', ')})`;
    }
  };
  return print(tree.root);
}
