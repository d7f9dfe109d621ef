import { kernelsOfFamilies } from '../../backend/families';
import { registerKernels } from '../../backend/registry';
import { createCpuBackend } from '../cpu';
import { WasmBackend } from './backend';
import type { WasmModuleVariant } from './instance';
import { binaryKernels } from './kernels/binary';
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
export { WASM_MEMORY_LIMITS } from './storage';
export { wasmRelaxedSimdSupported, wasmSimdSupported, type WasmModuleVariant } from './instance';

/** Every wasm kernel, by family; those with `fallback` run the cpu kernel on wasm memory. */
export const WASM_KERNELS: readonly WasmKernelDef[] = kernelsOfFamilies({
  elementwise: elementwiseKernels,
  reduce: reduceKernels,
  shape: shapeKernels,
  softmax: softmaxKernels,
  inplace: inplaceKernels,
  expr: exprKernels,
  matmul: matmulKernels,
  conv: convKernels,
  pool: poolKernels,
});

/**
 * Creates a wasm backend registered under `name`, registering its kernels, the bit-packed binary
 * ones (no family: the gpu backend has none), and the cpu kernels its fallbacks call first. The module compiles synchronously where allowed; otherwise `await ready()`.
 * `moduleVariant` picks the kernel module; by default the best the engine supports.
 */
export function createWasmBackend(name = 'wasm', moduleVariant?: WasmModuleVariant): WasmBackend {
  createCpuBackend();
  registerKernels([...WASM_KERNELS, ...binaryKernels].map((k) => k.toConfig(name)));
  return new WasmBackend(name, 'sync', moduleVariant);
}
