import { defineKernel, input, type GpuKernelDef } from './define';
import { mapBody } from './map';

/**
 * In-place kernels of the optimizers. A texture cannot be read and written by one draw, so each
 * renders the new values into a fresh texture that replaces the target's (the old one is freed);
 * the target keeps its storage handle, as the contract requires.
 */
export const inplaceKernels: GpuKernelDef[] = [
  defineKernel<{ alpha: number }>('addInPlace', (inputs, { alpha }, backend) => {
    const target = input(inputs, 0, 'addInPlace');
    const other = input(inputs, 1, 'addInPlace');
    const body = mapBody([target, other], target.shape, 'v0 + p[0] * v1');
    return backend.runInPlace({ name: 'addInPlace', body }, target, [target, other], Float32Array.of(alpha));
  }),
  defineKernel<{ factor: number }>('scaleInPlace', (inputs, { factor }, backend) => {
    const target = input(inputs, 0, 'scaleInPlace');
    const body = mapBody([target], target.shape, 'v0 * p[0]');
    return backend.runInPlace({ name: 'scaleInPlace', body }, target, [target], Float32Array.of(factor));
  }),
  defineKernel('assignInPlace', (inputs, _attrs, backend) => {
    const target = input(inputs, 0, 'assignInPlace');
    const source = input(inputs, 1, 'assignInPlace');
    return backend.runInPlace(
      { name: 'assignInPlace', body: mapBody([source], target.shape, 'v0') },
      target,
      [source],
    );
  }),
  defineKernel<{ value: number }>('fillInPlace', (inputs, { value }, backend) => {
    const target = input(inputs, 0, 'fillInPlace');
    return backend.runInPlace(
      { name: 'fillInPlace', body: 'return p[0];' },
      target,
      [],
      Float32Array.of(value),
    );
  }),
];
