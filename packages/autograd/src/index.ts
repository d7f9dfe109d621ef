/**
 * @fbt/autograd: the reverse-mode tape over @fbt/tensor's kernels, `customOp` (a backward that need
 * not be the derivative), gradient hooks and `gradCheck`.
 *
 * Importing this module installs the recording observer on @fbt/tensor's engine (see `installTape`);
 * every public entry point installs it too, so it is in place however the bundle was shaken.
 * @packageDocumentation
 */
import { installTape } from './tape';

export { GradientError } from './errors';
export {
  registerGradient,
  registerNonDifferentiable,
  getGradient,
  isNonDifferentiable,
  type GradientFn,
} from './registry';
export { installTape, noGrad, enableGrad, isGradEnabled } from './tape';
export { backward, type BackwardOptions } from './backward';
export { grad, valueAndGrad, detach, zeroGrad, type ValueAndGrads } from './functional';
export { customOp, type CustomOpSpec, type CustomBackwardArgs } from './custom-op';
export { registerHook, type GradHook } from './hooks';
export { manualSeed, tapeRng } from './rng';
export { gradCheck, type GradCheckOptions, type GradCheckResult, type GradCheckWorst } from './grad-check';

installTape();
