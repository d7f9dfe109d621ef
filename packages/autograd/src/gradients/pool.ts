import { registerGradient } from '../registry';
import { run } from '../kernels';

/** Registers the gradients of the pooling kernels, through their backward kernels. */
export function registerPoolGradients(): void {
  registerGradient('maxPool2d', (dy, [x], attrs) => [run('maxPool2dBackward', [dy, x!], attrs)]);
  registerGradient('avgPool2d', (dy, [x], attrs) => [
    run('avgPool2dBackward', [dy], { ...attrs, inputShape: x!.shape }),
  ]);
}
