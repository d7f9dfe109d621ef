import { GradientError } from '../errors';
import { registerGradient, registerNonDifferentiable } from '../registry';

/** Kernels whose derivative is zero almost everywhere (or that output integers): not recorded. */
const NON_DIFFERENTIABLE = [
  'greater',
  'greaterEqual',
  'less',
  'lessEqual',
  'equal',
  'notEqual',
  'sign',
  'step',
  'argmax',
  'argmin',
  'oneHot',
] as const;

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
