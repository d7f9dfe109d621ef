import { axisLayout } from '../../cpu/iterate';
import { cpuFallback, defineKernel, runOnCpu, type WasmKernelDef } from './define';

/** Softmax or log-softmax along one axis; int32 input (float32 output) runs the cpu kernel. */
const softmaxKernel = (kernelName: string, log: boolean): WasmKernelDef =>
  defineKernel<{ axis: number }>(kernelName, (inputs, attrs, backend) => {
    const x = inputs[0]!;
    if (x.dtype !== 'float32') return runOnCpu(kernelName, inputs, attrs, backend);
    const xPtr = backend.ptr(x);
    const { outer, axisSize, inner } = axisLayout(x.shape, attrs.axis);
    const out = backend.output(x.shape);
    backend.exports.softmax(xPtr, out.dataId.ptr, outer, axisSize, inner, log);
    return out;
  });

/**
 * Wasm kernels of the softmax family (the negative log-likelihood and its gradient, C values a row,
 * run the cpu kernels on wasm memory).
 */
export const softmaxKernels: readonly WasmKernelDef[] = [
  softmaxKernel('softmax', false),
  softmaxKernel('logSoftmax', true),
  cpuFallback('negLogLikelihood'),
  cpuFallback('negLogLikelihoodBackward'),
];
