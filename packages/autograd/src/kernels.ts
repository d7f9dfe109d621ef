import { engine, type KernelAttrs, type Tensor } from '@fbt/tensor';

/**
 * Runs a single-output kernel with attrs passed through verbatim. Gradients use it where they hand a
 * recorded call's attrs to a companion kernel (conv2d → conv2dBackpropInput, maxPool2d →
 * maxPool2dBackward…), so nothing is lost converting attrs back into op options; everything else
 * goes through @fbt/tensor's ops.
 */
export function run(kernelName: string, inputs: readonly Tensor[], attrs: KernelAttrs = {}): Tensor {
  return engine().runKernel(kernelName, inputs, attrs)[0]!;
}
