import { assertShape, convGeometry, convOutputShape } from '../../../geometry/conv';
import {
  windowGeometry,
  type Col2imAttrs,
  type ConvAttrs,
  type Conv2dBackpropFilterAttrs,
  type Conv2dBackpropInputAttrs,
  type Im2colAttrs,
} from '../../../geometry/window';
import type { ConvGeometry } from '../../../geometry/conv';
import type { WasmBackend } from '../backend';
import { opCode } from '../instance';
import { defineKernel, float32Ptr, type WasmKernelDef } from './define';

/**
 * Runs the module's convolution `kind` (the name of its code: `CONV_FORWARD`, …) on the operand
 * addresses `(a, b, out)` (plus the forward pass's `bias` address, 0 for none), shared out over the
 * kernel threads. In every kind `b` (the filters, or dY
 * for the filter gradient) is the operand that multiplies the padding's zeros: when it holds ±Inf or
 * NaN, every tap is multiplied (`allTaps`), so Inf·0 gives NaN as on cpu and in PyTorch.
 */
function convolve(
  backend: WasmBackend,
  g: ConvGeometry,
  kind: 'CONV_FORWARD' | 'CONV_INPUT_GRADIENT' | 'CONV_FILTER_GRADIENT',
  [a, b, out]: readonly [number, number, number],
  bias = 0,
): void {
  const bSize =
    kind === 'CONV_FILTER_GRADIENT' ? g.n * g.outChannels * g.oh * g.ow : g.outChannels * g.c * g.kh * g.kw;
  const allTaps = backend.exports.allFinite(b, bSize) === 0;
  const geometry = backend.geometry(g, g.outChannels, allTaps);
  const work = g.outChannels * g.c * g.kh * g.kw * g.n * g.oh * g.ow;
  const args = [opCode(backend.exports, kind), a, b, out, geometry, bias] as const;
  backend.parallel('conv', work, args, backend.exports.convWorkspace(geometry));
}

/**
 * Wasm kernels of the conv family: im2col/col2im and, per image, im2col + SIMD GEMM (forward and
 * filter gradient) or GEMM + col2im (input gradient), all inside the module, shared out over the
 * kernel threads (chunks of images, or filter-gradient columns).
 */
export const convKernels: readonly WasmKernelDef[] = [
  defineKernel<Im2colAttrs>('im2col', ([x], attrs, backend) => {
    const g = windowGeometry('im2col', x!.shape, attrs);
    const xPtr = float32Ptr(backend, x!, 'im2col');
    const out = backend.output([g.c * g.kh * g.kw, g.n * g.oh * g.ow]);
    backend.exports.im2col(xPtr, backend.geometry(g), out.dataId.ptr);
    return out;
  }),
  defineKernel<Col2imAttrs>('col2im', ([cols], attrs, backend) => {
    const g = windowGeometry('col2im', attrs.inputShape, attrs);
    assertShape('col2im', 'cols', cols!.shape, [g.c * g.kh * g.kw, g.n * g.oh * g.ow]);
    const colsPtr = float32Ptr(backend, cols!, 'col2im');
    const out = backend.output(attrs.inputShape);
    backend.exports.col2im(colsPtr, backend.geometry(g), out.dataId.ptr);
    return out;
  }),
  defineKernel<ConvAttrs>('conv2d', ([x, w, bias], attrs, backend) => {
    const g = convGeometry('conv2d', x!.shape, w!.shape, attrs);
    const [xPtr, wPtr] = [float32Ptr(backend, x!, 'conv2d'), float32Ptr(backend, w!, 'conv2d')];
    const biasPtr = bias === undefined ? 0 : float32Ptr(backend, bias, 'conv2d');
    const out = backend.output(convOutputShape(g));
    convolve(backend, g, 'CONV_FORWARD', [xPtr, wPtr, out.dataId.ptr], biasPtr);
    return out;
  }),
  defineKernel<Conv2dBackpropInputAttrs>('conv2dBackpropInput', ([dy, w], attrs, backend) => {
    const op = 'conv2dBackpropInput';
    const g = convGeometry(op, attrs.inputShape, w!.shape, attrs);
    assertShape(op, 'dy', dy!.shape, convOutputShape(g));
    const [dyPtr, wPtr] = [float32Ptr(backend, dy!, op), float32Ptr(backend, w!, op)];
    const out = backend.output(attrs.inputShape);
    convolve(backend, g, 'CONV_INPUT_GRADIENT', [dyPtr, wPtr, out.dataId.ptr]);
    return out;
  }),
  defineKernel<Conv2dBackpropFilterAttrs>('conv2dBackpropFilter', ([x, dy], attrs, backend) => {
    const op = 'conv2dBackpropFilter';
    const g = convGeometry(op, x!.shape, attrs.filterShape, attrs);
    assertShape(op, 'dy', dy!.shape, convOutputShape(g));
    const [xPtr, dyPtr] = [float32Ptr(backend, x!, op), float32Ptr(backend, dy!, op)];
    const out = backend.output(attrs.filterShape);
    convolve(backend, g, 'CONV_FILTER_GRADIENT', [xPtr, dyPtr, out.dataId.ptr]);
    return out;
  }),
];
