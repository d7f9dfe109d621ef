import { ArgumentError } from '../errors';
import { EXPR_FUNCTION_NAMES } from './functions';

/** Functions a `mapExpr` expression may call, as every backend must provide them (`EXPR_FUNCTION_TABLE`). */
export const EXPR_FUNCTIONS: readonly string[] = Object.freeze([...EXPR_FUNCTION_NAMES]);

/** Constants a `mapExpr` expression may use. */
export const EXPR_CONSTANTS: readonly string[] = Object.freeze(['PI']);

/** Operators and punctuation a `mapExpr` expression may use. */
export const EXPR_OPERATORS: readonly string[] = Object.freeze([
  '+',
  '-',
  '*',
  '/',
  '<',
  '<=',
  '>',
  '>=',
  '==',
  '!=',
  '===',
  '!==',
  '&&',
  '||',
  '!',
  '?',
  ':',
  '(',
  ')',
  ',',
]);

/** One token of a validated expression. */
export interface ExprToken {
  /** `name` (an input), `param`, `function`, `constant`, `number` or `operator`. */
  readonly kind: 'name' | 'param' | 'function' | 'constant' | 'number' | 'operator';
  /** The token's text. */
  readonly text: string;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else export extends false finally for ' +
    'function if import in instanceof let new null return static super switch this throw true try typeof var ' +
    'void while with yield await async arguments eval undefined NaN Infinity globalThis Math'
  ).split(' '),
);
const TOKEN =
  /\s+|(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|([A-Za-z_$][A-Za-z0-9_$]*)|(===|!==|==|!=|<=|>=|&&|\|\||=>|\+\+|--|[-+*/<>!?:(),])/y;

/** Throws unless `name` can be an input or parameter name of an expression. */
export function assertExprName(name: string, op: string, what: 'input' | 'param'): void {
  if (!IDENTIFIER.test(name) || RESERVED.has(name)) {
    throw new ArgumentError(
      `${op}: ${what} name '${name}' is not allowed; expected an identifier of letters, digits and _ that is not a JavaScript keyword`,
    );
  }
  if (EXPR_FUNCTIONS.includes(name) || EXPR_CONSTANTS.includes(name)) {
    throw new ArgumentError(
      `${op}: ${what} name '${name}' would hide the built-in '${name}'; choose another name`,
    );
  }
}

/**
 * Checks a `mapExpr` expression and returns its tokens. Allowed: the input `names`, the
 * `paramNames`, the functions `EXPR_FUNCTIONS`, the constant `PI`, numeric literals and the
 * operators `EXPR_OPERATORS`. Anything else (member access, brackets, assignment, strings, `=>`,
 * increments, regular expressions) throws an `ArgumentError` naming the bad token, so a validated
 * expression is safe to compile. Backends other than the CPU one translate the returned tokens.
 */
export function validateExpr(
  expr: string,
  names: readonly string[],
  paramNames: readonly string[],
  op = 'mapExpr',
): ExprToken[] {
  const seen = new Set<string>();
  for (const [list, what] of [
    [names, 'input'],
    [paramNames, 'param'],
  ] as const) {
    for (const name of list) {
      assertExprName(name, op, what);
      if (seen.has(name))
        throw new ArgumentError(`${op}: name '${name}' is used twice among inputs and params`);
      seen.add(name);
    }
  }
  const tokens: ExprToken[] = [];
  let afterOperand = false;
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < expr.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(expr);
    const bad = (token: string, why: string): ArgumentError =>
      new ArgumentError(`${op}: ${why} '${token}' at position ${at} in expression '${expr}'`);
    if (m === null) throw bad(expr[at]!, 'unexpected character');
    const [, number, identifier, operator] = m;
    let token: ExprToken;
    if (number !== undefined) token = { kind: 'number', text: number };
    else if (identifier !== undefined) {
      const kind = names.includes(identifier)
        ? 'name'
        : paramNames.includes(identifier)
          ? 'param'
          : EXPR_FUNCTIONS.includes(identifier)
            ? 'function'
            : EXPR_CONSTANTS.includes(identifier)
              ? 'constant'
              : null;
      if (kind === null) {
        throw bad(
          identifier,
          `unknown identifier (allowed: inputs ${names.join(', ') || '-'}, params ${paramNames.join(', ') || '-'}, ${EXPR_FUNCTIONS.join(' ')} PI)`,
        );
      }
      token = { kind, text: identifier };
    } else if (operator !== undefined) {
      if (!EXPR_OPERATORS.includes(operator)) throw bad(operator, 'operator not allowed');
      if (operator === '/' && !afterOperand)
        throw bad(operator, "'/' must follow an operand (no regular expressions or comments)");
      token = { kind: 'operator', text: operator };
    } else continue;
    tokens.push(token);
    afterOperand = token.kind !== 'operator' || token.text === ')';
  }
  if (tokens.length === 0)
    throw new ArgumentError(`${op}: expression is empty; expected a formula such as 'x * 2'`);
  return tokens;
}
