import type { BackendDefinition } from '../../backend/definition';
import { kernelsOfFamilies, type KernelFamilies } from '../../backend/families';
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
export {
  enableRelaxedSimd,
  wasmRelaxedSimdSupported,
  wasmSimdSupported,
  type RelaxedSimdStatus,
  type WasmModuleVariant,
} from './instance';

/** The wasm kernels, by family; those with `fallback` run the cpu kernel on wasm memory. */
const WASM_KERNEL_FAMILIES: KernelFamilies<WasmKernelDef> = {
  elementwise: elementwiseKernels,
  reduce: reduceKernels,
  shape: shapeKernels,
  softmax: softmaxKernels,
  inplace: inplaceKernels,
  expr: exprKernels,
  matmul: matmulKernels,
  conv: convKernels,
  pool: poolKernels,
};

/** Every wasm kernel, family by family; those with `fallback` run the cpu kernel on wasm memory. */
export const WASM_KERNELS: readonly WasmKernelDef[] = kernelsOfFamilies(WASM_KERNEL_FAMILIES);

/**
 * The WebAssembly SIMD backend's definition (registered by every engine as `wasm`, priority 2,
 * wherever WebAssembly SIMD runs), with the bit-packed kernels beside the families.
 * `moduleVariant` picks the kernel module; by default the best the engine supports. The module
 * compiles synchronously where allowed; otherwise `await ready()`.
 */
export function wasmBackend(moduleVariant?: WasmModuleVariant): BackendDefinition {
  return {
    name: 'wasm',
    priority: 2,
    create: (name) => new WasmBackend(name, 'sync', moduleVariant),
    kernels: WASM_KERNEL_FAMILIES,
    extraKernels: binaryKernels,
  };
}
