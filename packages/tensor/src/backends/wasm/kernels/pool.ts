import { assertShape } from '../../../geometry/conv';
import {
  poolGeometry,
  type AvgPoolBackwardAttrs,
  type PoolAttrs,
  type WindowGeometry,
} from '../../../geometry/window';
import { defineKernel, float32Ptr, type WasmKernelDef } from './define';

const pooledShape = (g: WindowGeometry): number[] => [g.n, g.c, g.oh, g.ow];

/** The work of a pooling kernel (input elements), which the kernel threads share out by planes. */
const planes = (g: WindowGeometry): number => g.n * g.c * g.h * g.w;

/** Wasm kernels of the pool family: direct window loops, with the cpu kernels' conventions, split by planes. */
export const poolKernels: readonly WasmKernelDef[] = [
  defineKernel<PoolAttrs>('maxPool2d', ([x], attrs, backend) => {
    const g = poolGeometry('maxPool2d', x!.shape, attrs);
    const xPtr = float32Ptr(backend, x!, 'maxPool2d');
    const out = backend.output(pooledShape(g));
    backend.parallel('maxPool', planes(g), [xPtr, out.dataId.ptr, backend.geometry(g)]);
    return out;
  }),
  defineKernel<PoolAttrs>('maxPool2dBackward', ([dy, x], attrs, backend) => {
    const op = 'maxPool2dBackward';
    const g = poolGeometry(op, x!.shape, attrs);
    assertShape(op, 'dy', dy!.shape, pooledShape(g));
    const [dyPtr, xPtr] = [float32Ptr(backend, dy!, op), float32Ptr(backend, x!, op)];
    const out = backend.output(x!.shape);
    backend.parallel('maxPoolBackward', planes(g), [dyPtr, xPtr, out.dataId.ptr, backend.geometry(g)]);
    return out;
  }),
  defineKernel<PoolAttrs>('avgPool2d', ([x], attrs, backend) => {
    const g = poolGeometry('avgPool2d', x!.shape, attrs);
    const xPtr = float32Ptr(backend, x!, 'avgPool2d');
    const out = backend.output(pooledShape(g));
    backend.parallel('avgPool', planes(g), [xPtr, out.dataId.ptr, backend.geometry(g)]);
    return out;
  }),
  defineKernel<AvgPoolBackwardAttrs>('avgPool2dBackward', ([dy], attrs, backend) => {
    const op = 'avgPool2dBackward';
    const g = poolGeometry(op, attrs.inputShape, attrs);
    assertShape(op, 'dy', dy!.shape, pooledShape(g));
    const dyPtr = float32Ptr(backend, dy!, op);
    const out = backend.output(attrs.inputShape);
    backend.parallel('avgPoolBackward', planes(g), [dyPtr, out.dataId.ptr, backend.geometry(g)]);
    return out;
  }),
];
