import { GradientError } from '../errors';
import { registerGradient, registerNonDifferentiable } from '../registry';

/**
 * Kernels outside the elementwise table that output integers, indices or packed sign bits: not
 * recorded. (The elementwise ops' records say which of them are not differentiable.)
 */
const NON_DIFFERENTIABLE = ['argmax', 'argmin', 'oneHot', 'packSigns'] as const;

/**
 * Registers the non-differentiable kernels, and `mapExpr`, whose expression the tape cannot
 * differentiate: backward through it throws, pointing at `customOp`, instead of silently giving zero.
 */
export function registerNonDifferentiableKernels(): void {
  for (const name of NON_DIFFERENTIABLE) registerNonDifferentiable(name);
  registerGradient<{ expr?: string }>('mapExpr', (_dy, _inputs, { expr }) => {
    throw new GradientError(
      `backward: kernel 'mapExpr' (expr '${String(expr)}') has no derivative; wrap the expression in a ` +
        `customOp and give its backward (for example another mapExpr with the derivative)`,
    );
  });
}
