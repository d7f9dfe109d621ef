// Type-only: serveThread and formulaShare ship to workers as source text, so they import no value.
import type { WasmExports } from '../instance';

/**
 * The control block a pool shares with its threads: a `SharedArrayBuffer` read as Int32 slots,
 * then the task's arguments as float64, then the text of a thread's error as UTF-16 units.
 */
export interface ControlLayout {
  /** Slot bumped by the caller to start a task. */
  readonly generation: number;
  /** Slot counting the threads that have not finished the current task. */
  readonly pending: number;
  /** Slot holding the index of the task in the pool's task list. */
  readonly task: number;
  /** Slot holding the number of arguments. */
  readonly argc: number;
  /** Slot holding the number of threads that share the task (the caller is thread 0). */
  readonly threads: number;
  /** Slot set to 1 to make the threads exit. */
  readonly stop: number;
  /** Slot holding 1 + the share (or, starting, the thread) whose kernel threw first (0: none). */
  readonly failed: number;
  /** Slot counting the threads that have instantiated the module. */
  readonly ready: number;
  /** Slot holding the length of the error text. */
  readonly messageLength: number;
  /**
   * Slot from which threads claim the task's shares, one Int32 word: bits 16–31 the task's
   * generation (its low 16 bits), bits 8–15 the share limit (the task's thread count, or
   * `everyThread`), bits 0–7 the next unclaimed share. A thread claims share s by moving the word
   * from s to s + 1 with a compare-exchange, and reads the task's index and arguments only after
   * that succeeds: the caller publishes them before the word and writes the next task's only after
   * every share is counted done, so a claimed share always runs with its own task's data.
   */
  readonly claim: number;
  /** The share limit of a claim word meaning "every thread runs the share of its own index" (`compileFormula`). */
  readonly everyThread: number;
  /** Byte offset of the float64 arguments. */
  readonly argsByte: number;
  /** Capacity of the argument list. */
  readonly maxArgs: number;
  /** Byte offset of the error text (UTF-16 units). */
  readonly messageByte: number;
  /** Capacity of the error text in units. */
  readonly maxMessage: number;
  /** Polls of the generation slot before a thread sleeps in `Atomics.wait`. */
  readonly spins: number;
}

/** What a pool thread receives when it starts. */
export interface ThreadInit {
  /** The compiled kernel module (a shared-memory variant). */
  readonly module: WebAssembly.Module;
  /** The shared memory every thread instantiates the module on. */
  readonly memory: WebAssembly.Memory;
  /** The control block. */
  readonly control: SharedArrayBuffer;
  /** Where things are in the control block. */
  readonly layout: ControlLayout;
  /** This thread's index (1 … threads − 1; the caller is 0). */
  readonly index: number;
  /**
   * The pool's tasks in task-index order (`PARALLEL_TASKS`): the module's exported kernels and the two
   * this thread implements itself, `compileFormula` and `mapFormula`.
   */
  readonly tasks: readonly string[];
  /** Names of the kernel module's functions a compiled formula imports (module `m`). */
  readonly formulaImports: readonly string[];
}

/**
 * Runs thread `thread`'s share of a compiled formula `run(out, in₀ … inₖ₋₁, n, params)` (`args` in
 * that order): a contiguous range of element pairs, split by the module's own `shareStart` (as
 * every pool kernel splits), so each element is evaluated as on one thread (pairs in f64x2 lanes,
 * an odd last element in the scalar loop). Self-contained: pool threads get its source text with
 * `serveThread`'s.
 */
export function formulaShare(
  run: (...values: number[]) => void,
  shareStart: WasmExports['shareStart'],
  args: readonly number[],
  thread: number,
  threads: number,
): void {
  const inputs = args.length - 3;
  const n = args[inputs + 1]!;
  const pairs = Math.ceil(n / 2);
  const first = 2 * shareStart(pairs, thread, threads);
  const end = Math.min(n, 2 * shareStart(pairs, thread + 1, threads));
  if (end <= first) return;
  const shifted = args.slice();
  for (let k = 0; k <= inputs; k++) shifted[k] = args[k]! + 4 * first;
  shifted[inputs + 1] = end - first;
  run(...shifted);
}

/**
 * The body of a pool thread: instantiates the kernel module on the shared memory (without running
 * its start function: only the calling thread allocates; a failure is recorded like a kernel's),
 * reports ready, then loops: wait for the
 * generation slot to change, claim shares of the task and run its kernel on each (`thread`, `threads`
 * appended to the arguments: the share's index, not this thread's), record the first error, count
 * each share done. Self-contained (no imports, no closures
 * over module scope): the pool ships its source text to a Worker.
 */
export function serveThread(init: ThreadInit): void {
  const layout = init.layout;
  const control = new Int32Array(init.control);
  const args = new Float64Array(init.control, layout.argsByte, layout.maxArgs);
  const message = new Uint16Array(init.control, layout.messageByte, layout.maxMessage);
  /** Records the first error: in share `share` of a task (this thread's index when starting). */
  const fail = (error: unknown, share = init.index): void => {
    if (Atomics.compareExchange(control, layout.failed, 0, share + 1) !== 0) return;
    const text = String(error instanceof Error ? error.message : error).slice(0, layout.maxMessage);
    for (let i = 0; i < text.length; i++) message[i] = text.charCodeAt(i);
    control[layout.messageLength] = text.length;
  };
  let kernels: ((...values: number[]) => void)[];
  try {
    const instance = new WebAssembly.Instance(init.module, {
      env: {
        memory: init.memory,
        abort: (_message: number, _file: number, line: number, column: number): never => {
          throw new Error(`kernel aborted at assembly line ${line}:${column}`);
        },
      },
    });
    const exports = instance.exports as Record<string, (...values: number[]) => number>;
    const formulas: ((...values: number[]) => void)[] = [];
    const imports = Object.fromEntries(init.formulaImports.map((name) => [name, exports[name]!]));
    const builtins: Record<string, (...values: number[]) => void> = {
      // (slot, address, length): compiles the formula module whose bytes are at `address`.
      compileFormula: (slot, address, length) => {
        const bytes = new Uint8Array(init.memory.buffer, address!, length!).slice();
        const formula = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
          env: { memory: init.memory },
          m: imports,
        });
        formulas[slot!] = formula.exports.run as (...values: number[]) => void;
      },
      // (slot, out, in₀ …, n, params, thread, threads): this thread's share of the formula.
      mapFormula: (slot, ...rest) =>
        formulaShare(formulas[slot!]!, exports.shareStart!, rest.slice(0, -2), rest.at(-2)!, rest.at(-1)!),
    };
    kernels = init.tasks.map((name) => exports[name] ?? builtins[name]!);
  } catch (error) {
    fail(error);
    Atomics.add(control, layout.ready, 1);
    Atomics.notify(control, layout.ready);
    return;
  }
  Atomics.add(control, layout.ready, 1);
  Atomics.notify(control, layout.ready);
  let seen = 0;
  for (;;) {
    for (let polls = 0; Atomics.load(control, layout.generation) === seen; polls++) {
      if (polls >= layout.spins) Atomics.wait(control, layout.generation, seen);
    }
    seen = Atomics.load(control, layout.generation);
    if (Atomics.load(control, layout.stop) !== 0) return;
    /** Runs share `share` of `threads` of the task now in the control block, then counts it done. */
    const run = (share: number, threads: number): void => {
      try {
        kernels[control[layout.task]!]!(
          ...Array.from(args.subarray(0, control[layout.argc])),
          share,
          threads,
        );
      } catch (error) {
        fail(error, share);
      }
      if (Atomics.sub(control, layout.pending, 1) === 1) Atomics.notify(control, layout.pending);
    };
    for (;;) {
      const word = Atomics.load(control, layout.claim);
      const limit = (word >>> 8) & 0xff;
      if (limit === layout.everyThread) {
        // Every thread runs its own index once: only for the task this thread woke for (the word's
        // generation is `seen`'s and no later task has started), which stays until every thread is done.
        if (word >>> 16 === (seen & 0xffff) && Atomics.load(control, layout.generation) === seen) {
          const threads = control[layout.threads]!;
          if (init.index < threads) run(init.index, threads);
          else if (Atomics.sub(control, layout.pending, 1) === 1) Atomics.notify(control, layout.pending);
        }
        break;
      }
      const share = word & 0xff;
      if (share >= limit) break;
      // Claimed: the task cannot end before this share is counted, so `run` reads its own data.
      if (Atomics.compareExchange(control, layout.claim, word, word + 1) === word) run(share, limit);
    }
  }
}
