import { ArgumentError } from '../../../errors';
import { nodeProcess } from './spawn';

/** Most threads one run may use. */
export const MAX_THREADS = 64;
/** Most threads the default picks: beyond 8, the kernels of a small-batch step scale little. */
const DEFAULT_THREAD_CAP = 8;

let chosen: number | undefined;
/** Whether the warning about `FBT_THREADS` above the cores was given (it is given once per thread). */
let warnedAboveCores = false;

function checkCount(n: unknown, context: string): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_THREADS) {
    const got = typeof n === 'string' ? `'${n}'` : String(n);
    throw new ArgumentError(`${context}: got ${got}; expected an integer from 1 to ${MAX_THREADS}`);
  }
  return n;
}

/** Cores the engine reports: `os.availableParallelism()` on Node, `navigator.hardwareConcurrency` elsewhere. */
export function hardwareThreads(): number {
  const os = nodeProcess()?.getBuiltinModule?.('node:os') as
    { availableParallelism?: () => number } | undefined;
  const cores = os?.availableParallelism?.() ?? globalThis.navigator?.hardwareConcurrency ?? 1;
  return Math.max(1, cores);
}

/**
 * The `FBT_THREADS` environment variable on Node: undefined when unset, else its value as a thread
 * count; anything but an integer from 1 to 64 is refused with an `ArgumentError`. A count above the
 * machine's cores is kept, with one warning on stderr: threads beyond the cores only slow kernels down.
 */
function environmentThreads(): number | undefined {
  const value = (nodeProcess() as { env?: Record<string, string | undefined> } | undefined)?.env?.FBT_THREADS;
  if (value === undefined || value === '') return undefined;
  const threads = checkCount(/^\d+$/.test(value) ? Number(value) : value, 'FBT_THREADS');
  const cores = hardwareThreads();
  if (threads > cores && !warnedAboveCores) {
    warnedAboveCores = true;
    console.warn(
      `fbt: FBT_THREADS=${threads} is above this machine's ${cores} cores; the wasm kernels run slower than with FBT_THREADS=${cores} or unset`,
    );
  }
  return threads;
}

/**
 * Sets how many threads the wasm backend's kernels use (the calling thread included), from the
 * next op on. `1` runs every kernel on the calling thread. Where threads are unavailable (see
 * `backendInfo().threadsReason`) the backend runs on one thread whatever the setting. Results are
 * bit-identical for every thread count. Throws an `ArgumentError` for anything but an integer from
 * 1 to 64.
 *
 * @example
 * setThreads(4);
 */
export function setThreads(n: number): void {
  chosen = checkCount(n, 'setThreads');
}

/** The thread count the wasm backend aims for, and the setting it comes from. */
export function threadSetting(): { readonly threads: number; readonly reason: string } {
  if (chosen !== undefined) return { threads: chosen, reason: `setThreads(${chosen})` };
  const fromEnvironment = environmentThreads();
  if (fromEnvironment !== undefined)
    return { threads: fromEnvironment, reason: `FBT_THREADS=${fromEnvironment}` };
  const cores = hardwareThreads();
  const threads = Math.min(cores, DEFAULT_THREAD_CAP);
  return { threads, reason: `default: min(${cores} cores, ${DEFAULT_THREAD_CAP})` };
}

/**
 * The thread count the wasm backend aims for: the last `setThreads`, else `FBT_THREADS`, else
 * min(cores, 8). Where threads are unavailable, the backend runs on one thread whatever this says
 * (`backendInfo()` tells).
 */
export function getThreads(): number {
  return threadSetting().threads;
}
