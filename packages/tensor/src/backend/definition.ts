import type { KernelFamilies } from './families';
import type { Backend, KernelDef } from './interface';

/**
 * Everything the engine needs to know of a backend, in one record: the one way every backend (cpu,
 * wasm, `@fbt/gpu`, or a user's own) is registered, through `registerBackend`. The engine names
 * none of them; the built-in ones are listed in `builtInBackends`.
 *
 * @example
 * // the cpu reference kernels under a second name, without the bit-packed kernels
 * registerBackend({ ...CPU_BACKEND, extraKernels: [] }, { name: 'cpu-plain', priority: 0 });
 */
export interface BackendDefinition {
  /** The name it registers under unless `registerBackend` is given another. */
  readonly name: string;
  /** Its engine priority unless given another; the highest registered is the default backend. */
  readonly priority: number;
  /** Creates the instance registered under `name`; the engine calls it on first use. */
  readonly create: (name: string) => Backend;
  /** Its kernels, a list per family: the type checker refuses a definition that leaves one out. */
  readonly kernels: KernelFamilies<KernelDef>;
  /** Kernels outside the families: the bit-packed ones, which only cpu and wasm have. */
  readonly extraKernels: readonly KernelDef[];
}

/** Options of `registerBackend`. */
export interface RegisterBackendOptions {
  /** Registry name (default: the definition's). */
  readonly name?: string;
  /** Engine priority (default: the definition's). */
  readonly priority?: number;
}
