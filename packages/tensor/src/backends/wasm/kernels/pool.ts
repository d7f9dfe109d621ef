import { assertShape } from '../../../geometry/conv';
import {
  poolGeometry,
  type AvgPoolBackwardAttrs,
  type PoolAttrs,
  type WindowGeometry,
} from '../../../geometry/window';
import type { WasmBackend } from '../backend';
import type { KernelTask } from '../threads/pool';
import { defineKernel, float32Ptr, type WasmKernelDef } from './define';

const pooledShape = (g: WindowGeometry): number[] => [g.n, g.c, g.oh, g.ow];

/** Runs one of the module's pooling kernels (operand addresses `pointers`) over the kernel threads, by planes. */
function pool(backend: WasmBackend, g: WindowGeometry, task: KernelTask, pointers: readonly number[]): void {
  backend.parallel(task, g.n * g.c * g.h * g.w, [...pointers, backend.geometry(g)]);
}

/** Wasm kernels of the pool family: direct window loops, with the cpu kernels' conventions, split by planes. */
export const poolKernels: readonly WasmKernelDef[] = [
  defineKernel<PoolAttrs>('maxPool2d', ([x], attrs, backend) => {
    const g = poolGeometry('maxPool2d', x!.shape, attrs);
    const xPtr = float32Ptr(backend, x!, 'maxPool2d');
    const out = backend.output(pooledShape(g));
    pool(backend, g, 'maxPool', [xPtr, out.dataId.ptr]);
    return out;
  }),
  defineKernel<PoolAttrs>('maxPool2dBackward', ([dy, x], attrs, backend) => {
    const op = 'maxPool2dBackward';
    const g = poolGeometry(op, x!.shape, attrs);
    assertShape(op, 'dy', dy!.shape, pooledShape(g));
    const [dyPtr, xPtr] = [float32Ptr(backend, dy!, op), float32Ptr(backend, x!, op)];
    const out = backend.output(x!.shape);
    pool(backend, g, 'maxPoolBackward', [dyPtr, xPtr, out.dataId.ptr]);
    return out;
  }),
  defineKernel<PoolAttrs>('avgPool2d', ([x], attrs, backend) => {
    const g = poolGeometry('avgPool2d', x!.shape, attrs);
    const xPtr = float32Ptr(backend, x!, 'avgPool2d');
    const out = backend.output(pooledShape(g));
    pool(backend, g, 'avgPool', [xPtr, out.dataId.ptr]);
    return out;
  }),
  defineKernel<AvgPoolBackwardAttrs>('avgPool2dBackward', ([dy], attrs, backend) => {
    const op = 'avgPool2dBackward';
    const g = poolGeometry(op, attrs.inputShape, attrs);
    assertShape(op, 'dy', dy!.shape, pooledShape(g));
    const dyPtr = float32Ptr(backend, dy!, op);
    const out = backend.output(attrs.inputShape);
    pool(backend, g, 'avgPoolBackward', [dyPtr, out.dataId.ptr]);
    return out;
  }),
];
