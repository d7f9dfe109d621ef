import { assertShape } from '../../../geometry/conv';
import {
  poolGeometry,
  type AvgPoolBackwardAttrs,
  type PoolAttrs,
  type WindowGeometry,
} from '../../../geometry/window';
import { defineKernel, float32Ptr, type WasmKernelDef } from './define';

const pooledShape = (g: WindowGeometry): number[] => [g.n, g.c, g.oh, g.ow];

/** Wasm kernels of the pool family: direct window loops, with the cpu kernels' conventions. */
export const poolKernels: readonly WasmKernelDef[] = [
  defineKernel<PoolAttrs>('maxPool2d', ([x], attrs, backend) => {
    const g = poolGeometry('maxPool2d', x!.shape, attrs);
    const xPtr = float32Ptr(backend, x!, 'maxPool2d');
    const out = backend.output(pooledShape(g));
    backend.exports.maxPool(xPtr, out.dataId.ptr, backend.geometry(g));
    return out;
  }),
  defineKernel<PoolAttrs>('maxPool2dBackward', ([dy, x], attrs, backend) => {
    const op = 'maxPool2dBackward';
    const g = poolGeometry(op, x!.shape, attrs);
    assertShape(op, 'dy', dy!.shape, pooledShape(g));
    const [dyPtr, xPtr] = [float32Ptr(backend, dy!, op), float32Ptr(backend, x!, op)];
    const out = backend.output(x!.shape);
    backend.exports.maxPoolBackward(dyPtr, xPtr, out.dataId.ptr, backend.geometry(g));
    return out;
  }),
  defineKernel<PoolAttrs>('avgPool2d', ([x], attrs, backend) => {
    const g = poolGeometry('avgPool2d', x!.shape, attrs);
    const xPtr = float32Ptr(backend, x!, 'avgPool2d');
    const out = backend.output(pooledShape(g));
    backend.exports.avgPool(xPtr, out.dataId.ptr, backend.geometry(g));
    return out;
  }),
  defineKernel<AvgPoolBackwardAttrs>('avgPool2dBackward', ([dy], attrs, backend) => {
    const op = 'avgPool2dBackward';
    const g = poolGeometry(op, attrs.inputShape, attrs);
    assertShape(op, 'dy', dy!.shape, pooledShape(g));
    const dyPtr = float32Ptr(backend, dy!, op);
    const out = backend.output(attrs.inputShape);
    backend.exports.avgPoolBackward(dyPtr, out.dataId.ptr, backend.geometry(g));
    return out;
  }),
];
