import { EXPR_FUNCTION_TABLE, spelled, type ExprNode } from '@fbt/tensor';

const OPERATORS: Readonly<Record<string, string>> = { '==': '===', '!=': '!==' };
const RELATIONS = new Set(['<', '<=', '>', '>=']);

/** One operand of a relation: its node and its source. */
interface Side {
  readonly node: ExprNode;
  readonly text: string;
}

/**
 * `left op right` for a relational operator, false when an operand is NaN as in JavaScript: Mesa's
 * shader compiler rewrites some comparisons (`abs(x) > 0` into `x != 0`, true for NaN), so each
 * operand that is not a literal also gets an explicit `v === v` test, which it leaves alone.
 */
function relation(op: string, left: ExprNode, right: ExprNode): string {
  const [l, r] = [left, right].map((node) => ({ node, text: translateExpr(node) })) as [Side, Side];
  const guards = [l, r].filter((s) => s.node.kind !== 'number').map((s) => `${s.text} === ${s.text}`);
  return `(${[`${l.text} ${op} ${r.text}`, ...guards].join(' && ')})`;
}

/**
 * Lowers a parsed expression to gpu.js kernel source, fully parenthesized: input `k` becomes
 * `v${k}`, parameter `k` the array element `p[k]` (so new parameter values do not recompile), each
 * built-in its `gpu` spelling from `EXPR_FUNCTION_TABLE` (`Math.*` or a helper of `functions.ts`),
 * and relational operators are NaN-guarded (`relation`).
 */
export function translateExpr(node: ExprNode): string {
  switch (node.kind) {
    case 'number':
      return String(node.value);
    case 'group':
      return translateExpr(node.inner);
    case 'input':
      return `v${node.index}`;
    case 'param':
      return `p[${node.index}]`;
    case 'unary':
      return `(${node.op}${translateExpr(node.arg)})`;
    case 'binary':
      if (RELATIONS.has(node.op)) return relation(node.op, node.left, node.right);
      return `(${translateExpr(node.left)} ${OPERATORS[node.op] ?? node.op} ${translateExpr(node.right)})`;
    case 'conditional':
      return `(${translateExpr(node.test)} ? ${translateExpr(node.then)} : ${translateExpr(node.otherwise)})`;
    case 'call':
      return `${spelled(EXPR_FUNCTION_TABLE[node.fn].gpu)}(${node.args.map(translateExpr).join(', ')})`;
  }
}
