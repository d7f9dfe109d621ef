import type { ThreadInfo } from '../../../backend/interface';
import type { KernelModule } from '../kernel-module';
import {
  PARALLEL_KERNELS,
  PARALLEL_MIN_WORK,
  type KernelArgs,
  type KernelTask,
  type ParallelTask,
  type WorkspaceBytes,
} from '../kernel-records';
import type { WasmStorage } from '../storage';
import { ThreadPool } from './pool';
import { formulaShare } from './serve';
import { threadSetting } from './settings';
import type { ThreadSupport } from './support';

/**
 * A `mapExpr` formula compiled for this backend: `run(out, in₀ … inₖ₋₁, n, params)` over byte
 * addresses of its memory, the module's bytes (for the pool's threads) and its slot number.
 */
export interface Formula {
  readonly slot: number;
  readonly bytes: Uint8Array;
  readonly run: (...args: number[]) => void;
}

/**
 * Runs the pool's tasks for one backend: on the calling thread below a task's cutoff, else shared
 * out over a thread pool it starts (and grows) to the thread setting on first need.
 */
export class ThreadDispatch {
  private pool: ThreadPool | null = null;
  private poolStart: Promise<void> | null = null;
  private poolFailure: string | null = null;

  /** Per task, the least work shared out over the threads (default `PARALLEL_MIN_WORK`; 0 shares everything). */
  minParallelWork: Record<ParallelTask, number> = { ...PARALLEL_MIN_WORK };

  constructor(
    private readonly threading: ThreadSupport,
    private readonly module: KernelModule,
    private readonly storage: WasmStorage,
  ) {}

  /** Resolves once the threads of the setting have started where they start asynchronously. */
  async ready(): Promise<void> {
    this.usableThreads();
    await this.poolStart;
  }

  /** How many threads the kernels use now, and why (the setting, or why threads are unavailable). */
  threadInfo(): ThreadInfo {
    if (!this.threading.available) return { threads: 1, reason: this.threading.reason };
    if (this.poolFailure !== null) return { threads: 1, reason: this.poolFailure };
    const setting = threadSetting();
    if (this.pool === null && this.poolStart !== null && setting.threads > 1) {
      return {
        threads: 1,
        reason: `${setting.reason}; the kernel threads are still starting (await ready())`,
      };
    }
    return setting;
  }

  /**
   * Threads a large kernel runs on: the setting, growing the pool to it first when it is smaller (at
   * once on Node; in browsers asynchronously, with the threads there are meanwhile). A smaller
   * setting uses part of the pool and leaves the rest waiting, so switching costs nothing.
   */
  private usableThreads(): number {
    if (!this.threading.available || this.poolFailure !== null) return 1;
    const want = threadSetting().threads;
    if (want === 1) return 1;
    if ((this.pool?.size ?? 1) < want && this.poolStart === null) this.startPool(want, this.threading);
    return Math.min(want, this.pool?.size ?? 1);
  }

  private startPool(size: number, support: Extract<ThreadSupport, { available: true }>): void {
    const { module, sharedMemory } = this.module.instance!;
    const failed = (error: unknown): void => {
      this.poolFailure = `kernel threads failed to start: ${error instanceof Error ? error.message : String(error)}`;
    };
    this.pool?.close();
    this.pool = null;
    if (support.blocking) {
      try {
        this.pool = ThreadPool.startSync(module, sharedMemory!, size, support.spawn);
      } catch (error) {
        failed(error);
      }
      return;
    }
    this.poolStart = ThreadPool.start(module, sharedMemory!, size, support.spawn)
      .then((pool) => {
        this.pool = pool;
      }, failed)
      .finally(() => {
        this.poolStart = null;
      });
  }

  /** Ends the kernel threads (they start again on the next large kernel, unless `setThreads(1)`). */
  closeThreads(): void {
    this.pool?.close();
    this.pool = null;
  }

  /**
   * Runs `formula` with `args` (out, in₀ …, n, params), shared out over the pool by ranges of
   * element pairs when n reaches the cutoff; the pool's threads compile it on first use.
   */
  runFormula(formula: Formula, args: readonly number[]): void {
    const n = args[args.length - 2]!;
    const threads = n >= this.minParallelWork.mapFormula ? this.usableThreads() : 1;
    if (threads === 1) {
      formula.run(...args);
      return;
    }
    const pool = this.pool!;
    const exports = this.module.exports;
    if (!pool.formulas.has(formula.slot)) {
      const at = this.storage.scratchBlock('threads.formula', formula.bytes.length);
      new Uint8Array(exports.memory.buffer, at, formula.bytes.length).set(formula.bytes);
      pool.run(() => undefined, 'compileFormula', [formula.slot, at, formula.bytes.length], pool.size);
      pool.formulas.add(formula.slot);
    }
    const share = (...values: number[]): void =>
      formulaShare(formula.run, exports.shareStart, values.slice(1, -2), values.at(-2)!, values.at(-1)!);
    pool.run(share, 'mapFormula', [formula.slot, ...args], threads);
  }

  /**
   * Runs the module's kernel `task` with `args`, shared out over the pool when `work` reaches the
   * task's cutoff, else on the calling thread. A kernel with a work space (its record's
   * `workspace`) takes `workBytes`, the bytes one thread needs: each thread gets a block of that
   * size (passed as `ws, wsBytes` after `args`). Results do not depend on the thread count.
   */
  parallel<T extends KernelTask>(
    task: T,
    work: number,
    args: Readonly<KernelArgs<T>>,
    ...workBytes: WorkspaceBytes<T>
  ): void {
    const threads = work >= this.minParallelWork[task] ? this.usableThreads() : 1;
    const bytes = (workBytes as number[])[0] ?? 0;
    const all: readonly number[] =
      'workspace' in PARALLEL_KERNELS[task]
        ? [...(args as readonly number[]), this.storage.scratchBlock('threads.work', bytes * threads), bytes]
        : (args as readonly number[]);
    const kernel = this.module.exports[task] as (...values: number[]) => void;
    if (threads === 1) kernel(...all, 0, 1);
    else this.pool!.run(kernel, task, all, threads);
  }
}
