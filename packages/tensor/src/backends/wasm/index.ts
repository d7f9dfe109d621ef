import { registerKernels } from '../../backend/registry';
import { createCpuBackend } from '../js';
import { WasmBackend } from './backend';
import { convKernels } from './kernels/conv';
import type { WasmKernelDef } from './kernels/define';
import { elementwiseKernels } from './kernels/elementwise';
import { exprKernels } from './kernels/expr';
import { inplaceKernels } from './kernels/inplace';
import { matmulKernels } from './kernels/matmul';
import { poolKernels } from './kernels/pool';
import { reduceKernels } from './kernels/reduce';
import { shapeKernels } from './kernels/shape';
import { softmaxKernels } from './kernels/softmax';

export { WasmBackend } from './backend';
export { wasmSimdSupported } from './instance';

/** Every wasm kernel, by family; those with `fallback` run the cpu kernel on wasm memory. */
export const WASM_KERNELS: readonly WasmKernelDef[] = [
  ...elementwiseKernels,
  ...reduceKernels,
  ...shapeKernels,
  ...softmaxKernels,
  ...exprKernels,
  ...matmulKernels,
  ...convKernels,
  ...poolKernels,
  ...inplaceKernels,
];

/**
 * Creates a wasm backend registered under `name`, registering its kernels (and the cpu kernels its
 * fallbacks call) first. The module compiles synchronously where allowed; otherwise `await ready()`.
 */
export function createWasmBackend(name = 'wasm'): WasmBackend {
  createCpuBackend();
  registerKernels(WASM_KERNELS.map((k) => k.toConfig(name)));
  return new WasmBackend(name);
}
