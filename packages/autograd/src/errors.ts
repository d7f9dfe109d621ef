import { FbtError } from '@fbt/tensor';

/**
 * A misuse of the gradient tape: `backward` on a loss that does not require a gradient, a second
 * `backward` through a freed graph, a kernel without a registered gradient, a gradient of the wrong
 * shape. The message names the op or kernel, what it got and what it expected.
 */
export class GradientError extends FbtError {}
