import { ArgumentError, elementwiseOp } from '@fbt/tensor';
import { substituteName } from '../expr';

/** A one-input tensor op's formulas over `z`: what an activation entry reads from @fbt/tensor. */
export interface TensorOpFormulas {
  /** φ(z): the op's formula. */
  readonly expr: string;
  /** φ'(z): the op's gradient formula at dy = 1. */
  readonly derivative: string;
}

/**
 * The formula and derivative of @fbt/tensor's one-input elementwise op `name`, over `z`, read from
 * its record in `ELEMENTWISE_OPS`: an activation built on it (`relu`) then has the very formula and
 * gradient of the tensor op, written once. The op's gradient must read only `dy` and its input.
 */
export function tensorOpFormulas(name: string): TensorOpFormulas {
  const op = elementwiseOp(name);
  const input = op?.inputs.length === 1 ? op.inputs[0] : undefined;
  const gradient = op === undefined || op.gradient === 'none' ? null : op.gradient[0];
  if (input === undefined || typeof gradient !== 'string' || /\by\b/.test(gradient)) {
    throw new ArgumentError(
      `tensorOpFormulas: '${name}' is not a one-input differentiable tensor op whose gradient reads only its input`,
    );
  }
  return {
    expr: substituteName(op!.expr, input, 'z'),
    derivative: substituteName(substituteName(gradient, 'dy', '1'), input, 'z'),
  };
}
