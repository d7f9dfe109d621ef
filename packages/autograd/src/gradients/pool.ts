import { avgPool2dBackward, maxPool2dBackward, type PoolAttrs } from '@fbt/tensor';
import { registerGradient } from '../registry';

/** Registers the gradients of the pooling kernels, through their backward ops. */
export function registerPoolGradients(): void {
  registerGradient<PoolAttrs>('maxPool2d', (dy, [x], attrs) => [maxPool2dBackward(dy, x!, attrs)]);
  registerGradient<PoolAttrs>('avgPool2d', (dy, [x], attrs) => [
    avgPool2dBackward(dy, { ...attrs, inputShape: x!.shape }),
  ]);
}
