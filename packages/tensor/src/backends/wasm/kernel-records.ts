/**
 * The one table of the tasks the wasm backend's thread pool runs. Adding a parallel kernel is its
 * AssemblyScript function (taking `thread, threads` last, see `assembly/parallel.ts`), its export
 * line in `assembly/index.ts`, and a record here: the kernel's `WasmExports` signature, the typed
 * `WasmBackend.parallel` call, the pool's task list and the default cutoff all derive from it.
 */

/** The wasm type of a kernel argument as the AssemblyScript source declares it (each is a JS number). */
export type WasmArgType = 'i32' | 'usize' | 'f32' | 'bool';

/** One argument of a kernel: `name: type`, as in the AssemblyScript signature. */
export type KernelArg = `${string}: ${WasmArgType}`;

/** The export that sizes a kernel's per-thread work space, and its arguments. */
export interface WorkspaceRecord {
  /** The module export returning the bytes one thread needs. */
  readonly export: string;
  /** Its arguments. */
  readonly args: readonly KernelArg[];
}

/** A kernel of the module that the pool shares out (its export name is the record's key). */
export interface ModuleKernelRecord {
  /** The arguments before the work space and `thread, threads`. */
  readonly args: readonly KernelArg[];
  /**
   * Present when each thread needs a work block: the kernel then takes `ws, wsBytes` after `args`
   * (the pool carves `ws + thread·wsBytes`), sized by this export.
   */
  readonly workspace?: WorkspaceRecord;
  /**
   * Least work (multiply-adds for GEMM and convolutions, elements for the others) for which the
   * task is shared out over the pool by default; below it, waking the threads costs more than it
   * saves. From `node packages/tensor/scripts/thread-cutoffs.mjs`, which times each kernel on 1 and
   * 2 threads over growing sizes, on the 2-core development machine: about the smallest size from
   * which 2 threads were faster.
   */
  readonly cutoff: number;
  /** What each thread computes: the units its share is a contiguous range of (`shareStart`). */
  readonly split: string;
}

/** A task the pool's threads implement themselves (`serveThread`), not a module export. */
export interface ThreadTaskRecord {
  /** Marks a task of `serveThread`'s own. */
  readonly thread: true;
  /** As `ModuleKernelRecord.cutoff`. */
  readonly cutoff: number;
  /** As `ModuleKernelRecord.split`. */
  readonly split: string;
}

/** A record of `PARALLEL_KERNELS`. */
export type ParallelRecord = ModuleKernelRecord | ThreadTaskRecord;

/** The record of each task the pool runs, in task-index order (the key is the export name). */
export const PARALLEL_KERNELS = {
  gemm: {
    args: [
      'm: i32',
      'n: i32',
      'k: i32',
      'a: usize',
      'ars: i32',
      'acs: i32',
      'b: usize',
      'brs: i32',
      'bcs: i32',
      'c: usize',
      'ldc: i32',
      'accumulate: bool',
      'bias: usize',
    ],
    workspace: { export: 'gemmWorkspace', args: ['m: i32', 'n: i32', 'k: i32'] },
    cutoff: 1 << 17,
    split: 'NR-column panels of C (MR-row panels when C has more rows than columns)',
  },
  conv: {
    args: ['kind: i32', 'a: usize', 'b: usize', 'out: usize', 'g: usize', 'bias: usize'],
    workspace: { export: 'convWorkspace', args: ['g: usize'] },
    cutoff: 1 << 19,
    split: 'chunks of images (forward, input gradient) or columns of dW (filter gradient)',
  },
  maxPool: {
    args: ['x: usize', 'y: usize', 'g: usize'],
    cutoff: 1 << 14,
    split: 'planes (image, channel)',
  },
  maxPoolBackward: {
    args: ['dy: usize', 'x: usize', 'dx: usize', 'g: usize'],
    cutoff: 1 << 14,
    split: 'planes (image, channel)',
  },
  avgPool: {
    args: ['x: usize', 'y: usize', 'g: usize'],
    cutoff: 1 << 14,
    split: 'planes (image, channel)',
  },
  avgPoolBackward: {
    args: ['dy: usize', 'dx: usize', 'g: usize'],
    cutoff: 1 << 14,
    split: 'planes (image, channel)',
  },
  unary: {
    args: ['op: i32', 'out: usize', 'x: usize', 'n: i32'],
    cutoff: 1 << 20,
    split: 'blocks of four elements',
  },
  binary: {
    args: ['op: i32', 'plan: usize', 'out: usize', 'a: usize', 'b: usize'],
    workspace: { export: 'rowStateBytes', args: [] },
    cutoff: 1 << 14,
    split: 'blocks of four elements (a one-row plan) or rows of the plan',
  },
  axpy: {
    args: ['plan: usize', 'target: usize', 'x: usize', 'alpha: f32'],
    cutoff: 1 << 18,
    split: 'blocks of four elements (a one-row plan; others run on thread 0)',
  },
  reduce: {
    args: ['kind: i32', 'plan: usize', 'x: usize', 'isInt: bool', 'acc: usize', 'means: usize', 'count: i32'],
    workspace: { export: 'reduceWorkspace', args: [] },
    // The reduction the script times, 64 sums along rows, gained only at 4M elements.
    cutoff: 1 << 22,
    split: 'elements of the float64 accumulator',
  },
  peak: {
    args: ['iterations: i32', 'out: usize'],
    cutoff: 0,
    split: 'none: every thread runs every round (the aggregate machine limit)',
  },
  binaryPeak: {
    args: ['iterations: i32', 'words: i32', 'panels: usize', 'out: usize'],
    cutoff: 0,
    split: "none: every thread runs every micro-tile run (the binary GEMM's aggregate limit)",
  },
  compileFormula: {
    thread: true,
    cutoff: 0,
    split: 'none: every thread of the pool compiles the formula module (slot, address, length)',
  },
  mapFormula: {
    thread: true,
    cutoff: 1 << 13,
    split: 'pairs of elements (`formulaShare`): (slot, out, in₀ …, n, params)',
  },
  packSigns: {
    args: ['x: usize', 'out: usize', 'rows: i32', 'k: i32'],
    cutoff: 1 << 20,
    split: 'rows',
  },
  binaryGemm: {
    args: ['m: i32', 'n: i32', 'k: i32', 'a: usize', 'b: usize', 'c: usize', 'groupCols: i32'],
    workspace: { export: 'binaryGemmWorkspace', args: ['m: i32', 'k: i32'] },
    // Work is m·n·k bit products, about ten times cheaper each than a float multiply-add: below
    // 2^26 (about 0.2 ms on one thread) a run is shorter than waking a sleeping pool thread
    // (125–260 µs on the 2-core machine), so 2 threads were slower (128×784×256: 0.8× in the bench).
    cutoff: 1 << 26,
    split: 'NR-column panels of C, group by group (MR-row panels when m > n)',
  },
  packIm2col: {
    args: ['rows: usize', 'g: usize', 'out: usize'],
    // Work is packed bits (N·OH·OW·C·kh·kw), like packSigns' elements.
    cutoff: 1 << 20,
    split: 'packed rows (output positions: image, oy, ox)',
  },
} as const satisfies Readonly<Record<string, ParallelRecord>>;

type Records = typeof PARALLEL_KERNELS;

/** A task the pool can share out. */
export type ParallelTask = keyof Records;

/** A task that is one of the kernel module's exports. */
export type KernelTask = {
  [T in ParallelTask]: Records[T] extends ModuleKernelRecord ? T : never;
}[ParallelTask];

/** The pool's tasks in task-index order: the index a pool sends its threads is the position here. */
export const PARALLEL_TASKS = Object.keys(PARALLEL_KERNELS) as readonly ParallelTask[];

/** The default cutoff of every task (its record's `cutoff`). */
export const PARALLEL_MIN_WORK = Object.fromEntries(
  PARALLEL_TASKS.map((task) => [task, PARALLEL_KERNELS[task].cutoff]),
) as Readonly<Record<ParallelTask, number>>;

/** One JS number per argument name. */
type Numbers<A extends readonly KernelArg[]> = { -readonly [K in keyof A]: number };

/** The arguments a caller gives kernel `T` (before the work space and `thread, threads`). */
export type KernelArgs<T extends KernelTask> = Records[T] extends {
  readonly args: infer A extends readonly KernelArg[];
}
  ? Numbers<A>
  : never;

/** `[workBytes]` for a kernel with a work space (the bytes one thread needs), else `[]`. */
export type WorkspaceBytes<T extends KernelTask> = Records[T] extends { readonly workspace: WorkspaceRecord }
  ? [workBytes: number]
  : [];

/** Every argument of kernel `T` as exported: its own, `ws, wsBytes` where it has a work space, then `thread, threads`. */
type ExportedArgs<T extends KernelTask> = [
  ...KernelArgs<T>,
  ...(WorkspaceBytes<T> extends [] ? [] : [ws: number, wsBytes: number]),
  thread: number,
  threads: number,
];

/** The name of kernel `T`'s work-space export, or never. */
type WorkspaceName<T extends KernelTask> = Records[T] extends {
  readonly workspace: { readonly export: infer E extends string };
}
  ? E
  : never;

/** The signature of kernel `T`'s work-space export. */
type WorkspaceFunction<T extends KernelTask> = Records[T] extends {
  readonly workspace: { readonly args: infer A extends readonly KernelArg[] };
}
  ? (...args: Numbers<A>) => number
  : never;

/** The module exports the records describe: each pool kernel and each work-space size. */
export type ParallelKernelExports = {
  readonly [T in KernelTask]: (...args: ExportedArgs<T>) => void;
} & {
  readonly [T in KernelTask as WorkspaceName<T>]: WorkspaceFunction<T>;
};
