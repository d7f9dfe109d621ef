import { EXPR_FUNCTION_TABLE, type ExprHelper, type JsSpelling } from './functions';

/**
 * The helper functions the built-ins need in one target's spelling (`js`: the cpu backend and the
 * plain-JS evaluator; `gpu`: gpu.js kernels), each once, in table order.
 */
export function exprHelpers(target: 'js' | 'gpu'): ExprHelper[] {
  const helpers = new Map<string, ExprHelper>();
  for (const fn of Object.values(EXPR_FUNCTION_TABLE)) {
    const spelling = fn[target];
    if ('helper' in spelling) helpers.set(spelling.helper.name, spelling.helper);
  }
  return [...helpers.values()];
}

/** The source text that calls a built-in in `spelling`: `Math.exp`, or a helper's name. */
export function spelled(spelling: JsSpelling): string {
  return 'math' in spelling ? spelling.math : spelling.helper.name;
}

/**
 * JavaScript declaring every built-in function under its own name (`exp`, …, `erf`) and the
 * constant `PI`, with JavaScript semantics: the prelude under which a validated expression's own
 * text evaluates as the expression language defines it (cpu backend, plain-JS evaluator).
 */
export const EXPR_JS_PRELUDE: string = [
  ...exprHelpers('js').map((h) => h.source),
  `const ${Object.values(EXPR_FUNCTION_TABLE)
    .map((fn) => `${fn.name} = ${spelled(fn.js)}`)
    .join(', ')}, PI = Math.PI;`,
].join('\n');
