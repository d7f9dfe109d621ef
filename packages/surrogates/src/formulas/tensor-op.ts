import {
  ArgumentError,
  elementwiseOp,
  parseFormula,
  printFormula,
  substituteName,
  type FormulaTree,
} from '@fbt/tensor';

/** A one-input tensor op's formulas over `z`: what an activation entry reads from @fbt/tensor. */
export interface TensorOpFormulas {
  /** φ(z): the op's formula. */
  readonly expr: string;
  /** φ'(z): the op's gradient formula at dy = 1. */
  readonly derivative: string;
}

/**
 * The formula and derivative of @fbt/tensor's one-input elementwise op `name`, over `z`, read from
 * its record in `ELEMENTWISE_OPS`: an activation built on it (`relu`, `logistic`…) then has the
 * very formula and gradient of the tensor op, written once. The derivative is the op's gradient
 * formula at dy = 1, with the output `y` replaced by the formula; 0 for an op that has none. The
 * formulas are spliced as trees (`substituteName`, each replacement in parentheses), then printed.
 */
export function tensorOpFormulas(name: string): TensorOpFormulas {
  const op = elementwiseOp(name);
  const input = op?.inputs.length === 1 ? op.inputs[0] : undefined;
  if (op === undefined || input === undefined) {
    throw new ArgumentError(`tensorOpFormulas: '${name}' is not a one-input elementwise tensor op`);
  }
  const context = 'tensorOpFormulas';
  const params = Object.keys(op.params ?? {});
  const z = parseFormula('z', ['z'], [], context);
  const one = parseFormula('1', [], [], context);
  const expr = parseFormula(op.expr, [input], params, context);
  const gradient = parseFormula(
    op.gradient === 'none' ? '0' : op.gradient[0]!,
    ['dy', 'y', input],
    params,
    context,
  );
  const overZ = (tree: FormulaTree): string => printFormula(substituteName(tree, input, z));
  return {
    expr: overZ(expr),
    derivative: overZ(substituteName(substituteName(gradient, 'y', expr), 'dy', one)),
  };
}
