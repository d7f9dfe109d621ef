import { registerGradient } from '../registry';
import { run } from '../kernels';

/** Registers the gradients of `conv2d` and of the `im2col`/`col2im` pair (each the other's adjoint). */
export function registerConvGradients(): void {
  registerGradient('conv2d', (dy, [x, w], attrs) => [
    x!.requiresGrad ? run('conv2dBackpropInput', [dy, w!], { ...attrs, inputShape: x!.shape }) : null,
    w!.requiresGrad ? run('conv2dBackpropFilter', [x!, dy], { ...attrs, filterShape: w!.shape }) : null,
  ]);
  registerGradient('im2col', (dy, [x], attrs) => [run('col2im', [dy], { ...attrs, inputShape: x!.shape })]);
  registerGradient('col2im', (dy, _inputs, attrs) => {
    const { inputShape: _inputShape, ...im2colAttrs } = attrs;
    return [run('im2col', [dy], im2colAttrs)];
  });
}
