import {
  ELEMENTWISE_OPS,
  broadcastTo,
  mapExpr,
  opParams,
  shapesEqual,
  validateExpr,
  type ElementwiseOpRecord,
  type Tensor,
} from '@fbt/tensor';
import { registerGradient, registerNonDifferentiable, type GradientFn } from '../registry';
import { unbroadcast } from './unbroadcast';

/** The name of the output's gradient in a record's gradient formulas. */
const DY = 'dy';
/** The name of the op's output in a record's gradient formulas. */
const Y = 'y';

/** One input's gradient formula, with the names it reads (so that a kernel gets only those). */
interface GradientFormula {
  readonly expr: string;
  readonly reads: readonly string[];
}

function compileFormula(
  op: ElementwiseOpRecord,
  expr: string,
  paramNames: readonly string[],
): GradientFormula {
  const names = [DY, Y, ...op.inputs];
  const tokens = validateExpr(expr, names, paramNames, `gradient of '${op.name}'`);
  return { expr, reads: names.filter((n) => tokens.some((t) => t.kind === 'name' && t.text === n)) };
}

/** `t` broadcast to `shape` (itself when it already has that shape). */
const spread = (t: Tensor, shape: readonly number[]): Tensor =>
  shapesEqual(t.shape, shape) ? t : broadcastTo(t, shape);

/**
 * The gradient of an elementwise op from its record: each input's formula runs as one `mapExpr`
 * over what it reads (broadcast to the output's shape; a bare `dy` runs nothing), then is summed
 * back to the input's shape. Inputs that need no gradient get none.
 */
function recordGradient(op: ElementwiseOpRecord, gradient: readonly (string | null)[]): GradientFn {
  const paramNames = Object.keys(op.params ?? {});
  const formulas = gradient.map((g) => (g === null ? null : compileFormula(op, g, paramNames)));
  return (dy, inputs, attrs, [y]) => {
    const values = new Map<string, Tensor>([
      [DY, dy],
      [Y, y!],
      ...op.inputs.map((name, k): [string, Tensor] => [name, inputs[k]!]),
    ]);
    const paramValues = opParams(op, attrs);
    const params = Object.fromEntries(paramNames.map((p, i) => [p, paramValues[i]!]));
    return formulas.map((f, k) => {
      const x = inputs[k]!;
      if (f === null || !x.requiresGrad) return null;
      const g =
        f.expr === DY
          ? dy
          : mapExpr(
              f.expr,
              Object.fromEntries(f.reads.map((n) => [n, spread(values.get(n)!, dy.shape)])),
              params,
            );
      return unbroadcast(g, x.shape);
    });
  };
}

/**
 * Registers the gradient of every `ELEMENTWISE_OPS` record (or marks it non-differentiable), and
 * that of `cast`: float32 → float32 is the identity; int32 outputs are never recorded.
 */
export function registerElementwiseGradients(): void {
  for (const op of ELEMENTWISE_OPS) {
    if (op.gradient === 'none') registerNonDifferentiable(op.name);
    else registerGradient(op.name, recordGradient(op, op.gradient));
  }
  registerGradient('cast', (dy, [x]) => [x!.dtype === 'float32' ? dy : null]);
}
