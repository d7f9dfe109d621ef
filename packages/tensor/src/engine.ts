import type { BackendDefinition, RegisterBackendOptions } from './backend/definition';
import { kernelsOfFamilies } from './backend/families';
import type { Backend, DataId, KernelAttrs, TensorInfo } from './backend/interface';
import { getKernel, registerKernels } from './backend/registry';
import { builtInBackends } from './backends/built-in';
import type { DType, TypedArray } from './dtype';
import { ArgumentError, BackendError } from './errors';
import { globalSingleton } from './global-state';
import { checkOptions } from './options';
import type { Shape } from './shape';
import { Tensor } from './tensor';

/** What an op observer is told after each kernel call that went through `runKernel`. */
export interface KernelRecord {
  /** Registered kernel name, e.g. `add`, `matMul`. */
  readonly kernelName: string;
  /** The input tensors, in kernel order. */
  readonly inputs: readonly Tensor[];
  /** The kernel's attributes. */
  readonly attrs: KernelAttrs;
  /** The output tensors. */
  readonly outputs: readonly Tensor[];
}

/**
 * Watches kernel calls. @fbt/autograd installs one to record its tape; @fbt/tensor itself knows
 * nothing about gradients.
 */
export interface OpObserver {
  /** Called after every kernel call made through `runKernel` while the observer is installed. */
  onKernel(record: KernelRecord): void;
}

interface Scope {
  readonly tracked: Tensor[];
}

/**
 * The process-wide engine: the backend registry and the active backend, the `tidy` scopes and
 * the op observer. Reach it through `engine()`; most code uses the functions exported beside it.
 */
export class Engine {
  private readonly factories = new Map<string, { create: () => Backend; priority: number }>();
  private readonly instances = new Map<string, Backend>();
  private activeName: string | null = null;
  private readonly scopes: Scope[] = [];
  private readonly kept = new WeakSet<Tensor>();
  /** The installed op observer, or null. */
  observer: OpObserver | null = null;
  private readonly finalizer = new FinalizationRegistry<{ backend: Backend; dataId: object }>(
    ({ backend, dataId }) => backend.disposeData(dataId),
  );

  /**
   * Registers a backend: its kernels under `name` (default the definition's), and the definition's
   * `create`, called on first use. The highest priority registered backend becomes the default.
   * Registering a name again replaces that backend.
   */
  registerBackend(definition: BackendDefinition, options: RegisterBackendOptions = {}): void {
    checkOptions(options, { name: true, priority: true }, 'registerBackend');
    const name = options.name ?? definition.name;
    const priority = options.priority ?? definition.priority;
    if (typeof name !== 'string' || name.length === 0)
      throw new ArgumentError(`registerBackend: name=${String(name)}; expected a non-empty string`);
    if (!Number.isFinite(priority))
      throw new ArgumentError(`registerBackend: priority=${String(priority)}; expected a finite number`);
    registerKernels(name, [...kernelsOfFamilies(definition.kernels), ...definition.extraKernels]);
    this.factories.set(name, { create: () => definition.create(name), priority });
    this.instances.delete(name);
  }

  /** Names of the registered backends. */
  backendNames(): string[] {
    return [...this.factories.keys()];
  }

  /** The backend instance registered under `name`, created on first use. */
  findBackend(name: string): Backend {
    let instance = this.instances.get(name);
    if (instance === undefined) {
      const entry = this.factories.get(name);
      if (entry === undefined) {
        throw new BackendError(
          `backend '${name}' is not registered; registered: ${this.backendNames().join(', ') || 'none'}`,
        );
      }
      instance = entry.create();
      this.instances.set(name, instance);
    }
    return instance;
  }

  /** The active backend (the registered one with the highest priority unless `setBackend` chose). */
  get backend(): Backend {
    if (this.activeName === null) {
      let best: string | null = null;
      let bestPriority = -Infinity;
      for (const [name, { priority }] of this.factories) {
        if (priority > bestPriority) {
          best = name;
          bestPriority = priority;
        }
      }
      if (best === null) throw new BackendError('no backend is registered');
      this.activeName = best;
    }
    return this.findBackend(this.activeName);
  }

  /** Makes `name` the active backend. */
  setBackend(name: string): void {
    this.findBackend(name);
    this.activeName = name;
  }

  /** Runs `fn` with `name` as the active backend, then restores the previous one. */
  withBackend<T>(name: string, fn: () => T): T {
    const previous = this.backend.name;
    this.setBackend(name);
    try {
      return fn();
    } finally {
      this.activeName = previous;
    }
  }

  /** Wraps freshly written storage in a tensor tracked by the current scope. */
  makeTensorFromInfo(info: TensorInfo, backend: Backend): Tensor {
    const t = new Tensor(info.dataId, info.shape, info.dtype, backend);
    this.track(t);
    return t;
  }

  /** Creates a tensor on the active backend from values it takes ownership of. */
  makeTensor(values: TypedArray, shape: Shape, dtype: DType): Tensor {
    const backend = this.backend;
    return this.makeTensorFromInfo({ dataId: backend.write(values, shape, dtype), shape, dtype }, backend);
  }

  /**
   * Runs the active backend's kernel `kernelName` on `inputs` (moving inputs held by another
   * backend first), wraps the outputs as tensors and tells the op observer.
   */
  runKernel(kernelName: string, inputs: readonly Tensor[], attrs: KernelAttrs = {}): Tensor[] {
    const backend = this.backend;
    const infos: TensorInfo[] = inputs.map((t) => {
      t.assertLive(kernelName);
      return this.infoOn(t, backend);
    });
    const result = getKernel(kernelName, backend.name)(infos, attrs, backend);
    const outputs = (Array.isArray(result) ? result : [result]).map((info) =>
      this.makeTensorFromInfo(info, backend),
    );
    if (this.observer !== null) this.observer.onKernel({ kernelName, inputs, attrs, outputs });
    return outputs;
  }

  /** Runs a kernel that writes into `target`'s storage in place (optimizers); not observed. */
  runInPlace(kernelName: string, target: Tensor, inputs: readonly Tensor[], attrs: KernelAttrs = {}): Tensor {
    const backend = this.backend;
    target.assertLive(kernelName);
    const infos = [target, ...inputs].map((t) => {
      t.assertLive(kernelName);
      return this.infoOn(t, backend);
    });
    const result = getKernel(kernelName, backend.name)(infos, attrs, backend);
    const info = Array.isArray(result) ? result[0]! : result;
    if (info.dataId !== target.dataId) {
      if (target.backend === backend) target.backend.disposeData(target.dataId);
      this.rehome(target, info.dataId, backend);
    }
    return target;
  }

  private infoOn(t: Tensor, backend: Backend): TensorInfo {
    if (t.backend !== backend) {
      const values = t.backend.readSync(t.dataId);
      const copy = values.slice();
      t.backend.disposeData(t.dataId);
      this.rehome(t, backend.write(copy, t.shape, t.dtype), backend);
    }
    return { dataId: t.dataId, shape: t.shape, dtype: t.dtype };
  }

  /**
   * Points `t` at new storage on `backend` and registers that storage with the finalizer in place
   * of the old, so a forgotten tensor frees the storage it holds now.
   */
  private rehome(t: Tensor, dataId: DataId, backend: Backend): void {
    t.dataId = dataId;
    t.backend = backend;
    if (t.finalizerState === 1) return; // registered with its new storage when it leaves its scope
    if (t.finalizerState === 2) {
      this.finalizer.unregister(t);
      t.finalizerState = 0;
    }
    this.registerFinalizer(t);
  }

  /**
   * Runs `fn` and disposes every tensor created inside it except the ones it returns (as a value,
   * in an array or in a plain object) and the ones passed to `keep`.
   */
  tidy<T>(fn: () => T): T {
    const scope: Scope = { tracked: [] };
    this.scopes.push(scope);
    let result: T;
    try {
      result = fn();
    } catch (error) {
      // Nothing is disposed on a throw: the scope's tensors get their finalizers, as if created outside.
      for (const t of scope.tracked) if (!t.isDisposed) this.escape(t);
      throw error;
    } finally {
      this.scopes.pop();
    }
    const survivors = new Set<Tensor>();
    collectTensors(result, survivors);
    const parent = this.scopes[this.scopes.length - 1];
    for (const t of scope.tracked) {
      if (survivors.has(t) || this.kept.has(t)) {
        if (parent !== undefined && !this.kept.has(t)) parent.tracked.push(t);
        else if (!t.isDisposed) this.escape(t);
      } else {
        t.dispose();
      }
    }
    return result;
  }

  /** Exempts a tensor from disposal by every enclosing `tidy`. */
  keep<T extends Tensor>(t: T): T {
    this.kept.add(t);
    return t;
  }

  /** @internal Called by `Tensor.dispose`. */
  releaseTensor(t: Tensor): void {
    if (t.finalizerState === 2) this.finalizer.unregister(t);
    t.finalizerState = 0;
    t.backend.disposeData(t.dataId);
  }

  /**
   * Tracks `t` in the current scope, or gives it a finalizer outside any scope. A tensor in a scope
   * is disposed when the scope ends or leaves it through `escape`, so only the tensors that outlive
   * every scope pay for a finalizer (registering one costs about as much as a small kernel).
   */
  private track(t: Tensor): void {
    const scope = this.scopes[this.scopes.length - 1];
    if (scope !== undefined) {
      scope.tracked.push(t);
      t.finalizerState = 1;
    } else this.registerFinalizer(t);
  }

  /** `t` leaves the scopes (returned from the outermost, kept, or left by a throw): it gets its finalizer. */
  private escape(t: Tensor): void {
    if (t.finalizerState === 1) t.finalizerState = 0;
    this.registerFinalizer(t);
  }

  /** Frees `t`'s storage when `t` is garbage-collected, unless its backend's storage is collected by itself. */
  private registerFinalizer(t: Tensor): void {
    if (t.finalizerState !== 0 || t.backend.collectsStorage === true) return;
    this.finalizer.register(t, { backend: t.backend, dataId: t.dataId }, t);
    t.finalizerState = 2;
  }
}

function collectTensors(value: unknown, into: Set<Tensor>): void {
  if (value instanceof Tensor) into.add(value);
  else if (Array.isArray(value)) for (const v of value) collectTensors(v, into);
  else if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const v of Object.values(value)) collectTensors(v, into);
  }
}

/** The engine once looked up (`globalSingleton` hashes a symbol name on every call). */
let cachedEngine: Engine | undefined;

/** The process-wide engine. */
export function engine(): Engine {
  return (cachedEngine ??= globalSingleton('engine', () => {
    const e = new Engine();
    for (const definition of builtInBackends()) e.registerBackend(definition);
    return e;
  }));
}

/** Runs `fn` and disposes the tensors it created, except those it returns or `keep`s. */
export function tidy<T>(fn: () => T): T {
  return engine().tidy(fn);
}

/** Exempts a tensor from disposal by enclosing `tidy` scopes. */
export function keep<T extends Tensor>(t: T): T {
  return engine().keep(t);
}

/** Makes the backend registered under `name` the active one. */
export function setBackend(name: string): void {
  engine().setBackend(name);
}

/** The name of the active backend. */
export function getBackend(): string {
  return engine().backend.name;
}

/** Runs `fn` with another backend active. */
export function withBackend<T>(name: string, fn: () => T): T {
  return engine().withBackend(name, fn);
}

/**
 * Registers a backend from its definition (its kernels, its `create`), under `options.name` and
 * with `options.priority` when given; the highest priority becomes the default backend. The one
 * way backends are registered: `registerWasmBackend` and `@fbt/gpu`'s `registerGpuBackend` call it.
 *
 * @example
 * registerBackend({ ...CPU_BACKEND, extraKernels: [] }, { name: 'cpu-plain', priority: 0 });
 * setBackend('cpu-plain');
 */
export function registerBackend(definition: BackendDefinition, options: RegisterBackendOptions = {}): void {
  engine().registerBackend(definition, options);
}

/** Resolves when the active backend is ready to run kernels. */
export function ready(): Promise<void> {
  return engine().backend.ready();
}
