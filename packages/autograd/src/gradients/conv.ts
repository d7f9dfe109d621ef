import {
  col2im,
  conv2dBackpropFilter,
  conv2dBackpropInput,
  im2col,
  sum,
  type Col2imAttrs,
  type ConvAttrs,
  type Im2colAttrs,
} from '@fbt/tensor';
import { registerGradient } from '../registry';

/** Registers the gradients of `conv2d` (input, filters and, when given, the bias: dY summed over N, H, W) and of the `im2col`/`col2im` pair (each the other's adjoint). */
export function registerConvGradients(): void {
  registerGradient<ConvAttrs>('conv2d', (dy, [x, w, bias], attrs) => [
    x!.requiresGrad ? conv2dBackpropInput(dy, w!, { ...attrs, inputShape: x!.shape }) : null,
    w!.requiresGrad ? conv2dBackpropFilter(x!, dy, { ...attrs, filterShape: w!.shape }) : null,
    ...(bias === undefined ? [] : [bias.requiresGrad ? sum(dy, [0, 2, 3]) : null]),
  ]);
  registerGradient<Im2colAttrs>('im2col', (dy, [x], attrs) => [
    col2im(dy, { ...attrs, inputShape: x!.shape }),
  ]);
  registerGradient<Col2imAttrs>('col2im', (dy, _inputs, { stride, padding, dilation, kernelSize }) => [
    im2col(dy, { stride, padding, dilation, kernelSize }),
  ]);
}
