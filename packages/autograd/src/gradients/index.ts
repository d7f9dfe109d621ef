import { registerConvGradients } from './conv';
import { registerElementwiseGradients } from './elementwise';
import { registerMatMulGradients } from './matmul';
import { registerNonDifferentiableKernels } from './non-differentiable';
import { registerPoolGradients } from './pool';
import { registerReduceGradients } from './reduce';
import { registerShapeGradients } from './shape';
import { registerSoftmaxGradients } from './softmax';

/** Registers the gradient of every kernel of @fbt/tensor's contract (docs/internals/kernels.md). */
export function registerBuiltinGradients(): void {
  registerElementwiseGradients();
  registerReduceGradients();
  registerMatMulGradients();
  registerShapeGradients();
  registerSoftmaxGradients();
  registerConvGradients();
  registerPoolGradients();
  registerNonDifferentiableKernels();
}
