/**
 * The kernel families: every backend provides each one (docs/internals/kernels.md lists their
 * kernels). A backend states its kernels as a `KernelFamilies` record, so the type checker refuses
 * a backend that leaves a family out.
 */
export const KERNEL_FAMILIES = Object.freeze([
  'elementwise',
  'reduce',
  'shape',
  'softmax',
  'inplace',
  'expr',
  'matmul',
  'conv',
  'pool',
] as const);

/** One kernel family's name. */
export type KernelFamily = (typeof KERNEL_FAMILIES)[number];

/** A backend's kernels by family (`K` is its kernel type, a `KernelDef` or a backend's refinement of it). */
export type KernelFamilies<K> = Readonly<Record<KernelFamily, readonly K[]>>;

/** Every kernel of `families`, family by family in `KERNEL_FAMILIES` order. */
export function kernelsOfFamilies<K>(families: KernelFamilies<K>): K[] {
  return KERNEL_FAMILIES.flatMap((family) => families[family]);
}
