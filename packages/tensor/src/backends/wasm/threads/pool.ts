import { BackendError } from '../../../errors';
import type { ControlLayout, ThreadInit } from './serve';
import type { ThreadHandle } from './spawn';
import { WASM_IMPORTS as formulaImports } from '../../../formula/functions';
import { PARALLEL_TASKS, type ParallelTask } from '../kernel-records';

const MAX_ARGS = 24;
const MAX_MESSAGE = 512;

/** The pool's control block layout (see `ControlLayout`): ten Int32 slots, the arguments, the error text. */
const LAYOUT: ControlLayout = {
  generation: 0,
  pending: 1,
  task: 2,
  argc: 3,
  threads: 4,
  stop: 5,
  failed: 6,
  ready: 7,
  messageLength: 8,
  claim: 9,
  everyThread: 0xff,
  argsByte: 64,
  maxArgs: MAX_ARGS,
  messageByte: 64 + 8 * MAX_ARGS,
  maxMessage: MAX_MESSAGE,
  // About 1 ms of polling before a thread sleeps: the gaps between the kernels of a training step
  // are mostly shorter, and waking a thread from Atomics.wait cost 125–260 µs on the 2-core
  // development machine (a VM), against 11–20 µs for a polling one.
  spins: 100000,
};
const CONTROL_BYTES = LAYOUT.messageByte + 2 * MAX_MESSAGE;

/** How long the caller waits for new threads to instantiate the module. */
const START_TIMEOUT_MS = 30_000;

/** Starts one pool thread from its `ThreadInit` (a Node worker thread or a Web Worker). */
export type Spawn = (init: ThreadInit) => ThreadHandle;

/**
 * A pool of threads running the kernel module on one shared memory. The caller is thread 0 and
 * runs share 0; the other shares go to whichever thread claims them first (the `size − 1` workers
 * or the caller, once its own share is done), so a worker the OS has not scheduled does not hold
 * the task up. A task starts by bumping the generation slot and ends when the pending count of
 * shares reaches zero, so ops stay synchronous: the caller blocks in `Atomics.wait` until every
 * share is done (only where blocking is allowed: Node, or a Web Worker). A failure names the share
 * ("thread k of n").
 */
export class ThreadPool {
  private readonly control: Int32Array;
  private readonly args: Float64Array;
  private closed = false;
  /** Slots of the formulas every thread has compiled. */
  readonly formulas = new Set<number>();

  private constructor(
    /** Threads of the pool, the caller included. */
    readonly size: number,
    private readonly buffer: SharedArrayBuffer,
    private readonly handles: readonly ThreadHandle[],
  ) {
    this.control = new Int32Array(buffer);
    this.args = new Float64Array(buffer, LAYOUT.argsByte, MAX_ARGS);
  }

  /** Spawns `size − 1` threads without waiting for them; `whenReady`/`waitReady` wait. */
  private static spawn(
    module: WebAssembly.Module,
    memory: WebAssembly.Memory,
    size: number,
    spawn: Spawn,
  ): ThreadPool {
    const buffer = new SharedArrayBuffer(CONTROL_BYTES);
    const handles: ThreadHandle[] = [];
    const pool = new ThreadPool(size, buffer, handles);
    for (let index = 1; index < size; index++) {
      const init = {
        module,
        memory,
        control: buffer,
        layout: LAYOUT,
        index,
        tasks: PARALLEL_TASKS,
        formulaImports,
      };
      handles.push(spawn(init));
    }
    return pool;
  }

  /**
   * Starts a pool of `size` threads and blocks until each has instantiated the module (Node and Web
   * Workers, where the caller may block). Throws a `BackendError` if a thread fails to start.
   */
  static startSync(
    module: WebAssembly.Module,
    memory: WebAssembly.Memory,
    size: number,
    spawn: Spawn,
  ): ThreadPool {
    const pool = ThreadPool.spawn(module, memory, size, spawn);
    const deadline = performance.now() + START_TIMEOUT_MS;
    for (;;) {
      const ready = Atomics.load(pool.control, LAYOUT.ready);
      if (ready === size - 1) break;
      const left = deadline - performance.now();
      if (left <= 0) pool.failStart('timed out');
      Atomics.wait(pool.control, LAYOUT.ready, ready, left);
    }
    pool.checkStarted();
    return pool;
  }

  /**
   * Starts a pool of `size` threads and resolves once each has instantiated the module, without
   * blocking (a browser's event loop must run for its Web Workers to start).
   */
  static async start(
    module: WebAssembly.Module,
    memory: WebAssembly.Memory,
    size: number,
    spawn: Spawn,
  ): Promise<ThreadPool> {
    const pool = ThreadPool.spawn(module, memory, size, spawn);
    const deadline = performance.now() + START_TIMEOUT_MS;
    while (Atomics.load(pool.control, LAYOUT.ready) < size - 1) {
      if (performance.now() > deadline) pool.failStart('timed out');
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    pool.checkStarted();
    return pool;
  }

  private checkStarted(): void {
    if (Atomics.load(this.control, LAYOUT.failed) !== 0) this.failStart(this.errorText());
  }

  private failStart(why: string): never {
    this.close();
    throw new BackendError(`wasm backend: could not start ${this.size - 1} kernel threads: ${why}`);
  }

  private errorText(): string {
    const length = this.control[LAYOUT.messageLength]!;
    const units = new Uint16Array(this.buffer, LAYOUT.messageByte, length);
    return String.fromCharCode(...units);
  }

  /**
   * Runs `task` on `threads` threads (2 … size): the workers first, then the caller's own share
   * through `kernel` (the calling thread's export of the same function), then waits for all. A
   * kernel that throws on any thread makes `run` throw a `BackendError` naming the task and thread,
   * after every thread has finished; the pool stays usable.
   */
  run(
    kernel: (...values: number[]) => void,
    task: ParallelTask,
    args: readonly number[],
    threads: number,
  ): void {
    if (this.closed) throw new BackendError('wasm backend: the kernel thread pool is closed');
    const control = this.control;
    control[LAYOUT.task] = PARALLEL_TASKS.indexOf(task);
    control[LAYOUT.argc] = args.length;
    control[LAYOUT.threads] = threads;
    this.args.set(args);
    // Every thread compiles a formula; other tasks' shares go to whichever thread claims them first
    // (the caller takes share 0, then claims like the others), so a thread the OS has not scheduled
    // yet holds nobody up. A share computes the same whoever runs it: results stay bit-identical.
    const everyThread = task === 'compileFormula';
    const generation = (control[LAYOUT.generation]! + 1) | 0;
    Atomics.store(control, LAYOUT.pending, everyThread ? this.size - 1 : threads - 1);
    // The claim word (see ControlLayout.claim): share 0 is the caller's, so the next is 1.
    const limit = everyThread ? LAYOUT.everyThread : threads;
    Atomics.store(control, LAYOUT.claim, ((generation & 0xffff) << 16) | (limit << 8) | 1);
    Atomics.add(control, LAYOUT.generation, 1);
    Atomics.notify(control, LAYOUT.generation);
    let callerError: unknown = null;
    try {
      kernel(...args, 0, threads);
    } catch (error) {
      callerError = error;
    }
    if (!everyThread) {
      for (;;) {
        const word = Atomics.load(control, LAYOUT.claim);
        const share = word & 0xff;
        if (share >= threads) break;
        if (Atomics.compareExchange(control, LAYOUT.claim, word, word + 1) !== word) continue;
        try {
          kernel(...args, share, threads);
        } catch (error) {
          // Reported like a worker's failure in that share.
          if (Atomics.compareExchange(control, LAYOUT.failed, 0, share + 1) === 0) {
            const text = String(error instanceof Error ? error.message : error).slice(0, MAX_MESSAGE);
            const units = new Uint16Array(this.buffer, LAYOUT.messageByte, MAX_MESSAGE);
            for (let i = 0; i < text.length; i++) units[i] = text.charCodeAt(i);
            control[LAYOUT.messageLength] = text.length;
          }
        }
        Atomics.sub(control, LAYOUT.pending, 1);
      }
    }
    for (let polls = 0; ; polls++) {
      const pending = Atomics.load(control, LAYOUT.pending);
      if (pending === 0) break;
      if (polls >= LAYOUT.spins) Atomics.wait(control, LAYOUT.pending, pending);
    }
    const failed = Atomics.load(control, LAYOUT.failed);
    if (failed !== 0) {
      const text = this.errorText();
      Atomics.store(control, LAYOUT.failed, 0);
      throw new BackendError(
        `wasm backend: kernel '${task}' failed on thread ${failed - 1} of ${threads}: ${text}`,
      );
    }
    if (callerError !== null) throw callerError;
  }

  /** Stops and ends every thread; later `run` calls throw. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    Atomics.store(this.control, LAYOUT.stop, 1);
    Atomics.add(this.control, LAYOUT.generation, 1);
    Atomics.notify(this.control, LAYOUT.generation);
    for (const handle of this.handles) handle.terminate();
  }
}
