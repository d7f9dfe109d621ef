import { axisLayout } from '../../js/iterate';
import { defineKernel, float32Ptr, type WasmKernelDef } from './define';

const softmaxKernel = (kernelName: string, log: boolean): WasmKernelDef =>
  defineKernel<{ axis: number }>(kernelName, (inputs, attrs, backend) => {
    const x = inputs[0]!;
    const xPtr = float32Ptr(backend, x, kernelName);
    const { outer, axisSize, inner } = axisLayout(x.shape, attrs.axis);
    const out = backend.output(x.shape);
    backend.exports.softmax(xPtr, out.dataId.ptr, outer, axisSize, inner, log);
    return out;
  });

/** Wasm kernels of the softmax family. */
export const softmaxKernels: readonly WasmKernelDef[] = [
  softmaxKernel('softmax', false),
  softmaxKernel('logSoftmax', true),
];
