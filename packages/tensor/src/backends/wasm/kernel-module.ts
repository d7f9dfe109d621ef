import { BackendError } from '../../errors';
import {
  instantiateAsync,
  instantiateSync,
  type KernelInstance,
  type WasmExports,
  type WasmModuleVariant,
} from './instance';
import { SHARED_MAXIMUM_PAGES } from './module.generated';

/** The error for a use of the module before `ready()` resolved where compilation is asynchronous. */
export function stillCompiling(): BackendError {
  return new BackendError(
    'wasm backend: the kernel module is still compiling; await ready() before running ops',
  );
}

/**
 * The kernel module's lifecycle in one backend: instantiated at once where the engine allows a
 * synchronous compile, else by `ready()`; its exports refused until then.
 */
export class KernelModule {
  private current: KernelInstance | null;
  private pending: Promise<void> | null = null;
  private onStart: (instance: KernelInstance) => void = () => undefined;

  /**
   * @param variant the module variant to load.
   * @param compile `sync` instantiates at once where the engine allows it; `async` leaves it to `ready()`.
   * @param shared whether to instantiate on a shared memory (for the thread pool).
   */
  constructor(
    readonly variant: WasmModuleVariant,
    compile: 'sync' | 'async',
    private readonly shared: boolean,
  ) {
    this.current = compile === 'sync' ? instantiateSync(variant, shared) : null;
  }

  /** Calls `start` once the module is instantiated: at once if it is, else when `ready()` has instantiated it. */
  whenStarted(start: (instance: KernelInstance) => void): void {
    if (this.current !== null) start(this.current);
    else this.onStart = start;
  }

  /** Resolves once the module is instantiated (compiling it asynchronously if it is not yet). */
  async ready(): Promise<void> {
    if (this.current !== null) return;
    this.pending ??= instantiateAsync(this.variant, this.shared).then((instance) => {
      this.current = instance;
      this.onStart(instance);
    });
    await this.pending;
  }

  /** The instantiated module, or null while it compiles. */
  get instance(): KernelInstance | null {
    return this.current;
  }

  /** The module's exports; throws a `BackendError` before `ready()` resolved where compilation is asynchronous. */
  get exports(): WasmExports {
    if (this.current === null) throw stillCompiling();
    return this.current.exports;
  }

  /**
   * The maximum pages a module importing this memory declares: the threaded module's (its shared
   * memory may have fewer), or undefined on an unshared memory.
   */
  sharedMemoryPages(): number | undefined {
    return (this.current?.sharedMemory ?? null) === null ? undefined : SHARED_MAXIMUM_PAGES;
  }
}
