import { checkOptions, engine, registerBackend, type BackendDefinition } from '@fbt/tensor';
import { GpuBackend } from './backend';
import type { GpuDeviceInfo, GpuModeRequest } from './device';
import { GPU_KERNEL_FAMILIES } from './kernels';

/** Options of `registerGpuBackend`. */
export interface GpuBackendOptions {
  /** The gpu.js mode: `auto` (default) picks headlessgl in Node, webgl2/webgl in browsers, else `cpu`. */
  readonly mode?: GpuModeRequest;
  /** Registry name (default `gpu`). */
  readonly name?: string;
  /** Engine priority; above the cpu backend's 1 makes it the default backend. Default 0. */
  readonly priority?: number;
  /** Called once with the device info when the backend falls back to gpu.js `cpu` mode (default `console.warn`). */
  readonly onFallback?: (info: GpuDeviceInfo) => void;
}

const infos = new Map<string, GpuDeviceInfo>();

/**
 * Registers the gpu.js backend with the engine under `name` (default `gpu`) and its kernels.
 * The device starts on first use (`setBackend('gpu')`, `withBackend('gpu', …)`); when the asked-for
 * GL mode is not available it falls back to gpu.js `cpu` mode and says why through `onFallback`
 * and `backendInfo()`. Never throws for a missing `gl` module.
 *
 * @example
 * registerGpuBackend();
 * setBackend('gpu');
 * console.log(backendInfo()); // { mode: 'headlessgl', reason: "Node with a working native 'gl' module", … }
 */
export function registerGpuBackend(options: GpuBackendOptions = {}): void {
  checkOptions(options, { mode: true, name: true, priority: true, onFallback: true }, 'registerGpuBackend');
  const { name, priority } = options;
  infos.delete(name ?? 'gpu');
  registerBackend(gpuBackend(options.mode ?? 'auto', options.onFallback), {
    ...(name === undefined ? {} : { name }),
    ...(priority === undefined ? {} : { priority }),
  });
}

/**
 * The gpu.js backend's definition (default name `gpu`, priority 0), for `registerBackend`:
 * `registerGpuBackend` registers it. Its instance starts the device in `mode` on first use and
 * calls `onFallback` (default `console.warn`) when the asked-for GL mode is missing.
 */
export function gpuBackend(
  mode: GpuModeRequest = 'auto',
  onFallback: (info: GpuDeviceInfo) => void = (info) => console.warn(`@fbt/gpu: ${info.reason}`),
): BackendDefinition {
  return {
    name: 'gpu',
    priority: 0,
    create: (name) => {
      const backend = new GpuBackend(name, mode);
      infos.set(name, backend.info);
      if (!backend.info.accelerated && mode !== 'cpu') onFallback(backend.info);
      return backend;
    },
    kernels: GPU_KERNEL_FAMILIES,
    extraKernels: [],
  };
}

/**
 * Which gpu.js mode the backend registered under `name` runs in and why. Starts the backend if it
 * has not started yet (so the answer is the real one); throws a `BackendError` if it is not registered.
 */
export function backendInfo(name = 'gpu'): GpuDeviceInfo {
  const known = infos.get(name);
  if (known !== undefined) return known;
  const backend = engine().findBackend(name);
  if (!(backend instanceof GpuBackend)) {
    return {
      mode: 'cpu',
      requested: 'cpu',
      reason: `backend '${name}' is not a gpu backend`,
      maxTextureSize: Infinity,
      accelerated: false,
    };
  }
  return backend.info;
}
