import { availableParallelism } from 'node:os';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  add,
  addInPlace,
  backendInfo,
  engine,
  mapExpr,
  packSigns,
  setThreads,
  tensor,
  tidy,
  type KernelAttrs,
  type WasmBackend,
} from '../src';
import { randomValues, runOn, type InputSpec } from '../../../test-utils/backend-parity';
import { instantiateSync } from '../src/backends/wasm/instance';
import { withUnsharedMemoryImport } from '../src/backends/wasm/memory-import';
import { bundlePackage, runInNode } from './fresh-process';
import './wasm-helpers';

/*
 * The wasm backend's kernel threads: every thread count gives the same bits as one thread (each
 * output element is computed by one thread in a fixed order), the pool survives a kernel that
 * fails on one worker, and a process that used threads exits without closing them.
 */

const wasm = (): WasmBackend => engine().findBackend('wasm') as WasmBackend;

// Every kernel is shared out here whatever its size (the default cutoffs keep small and
// memory-bound kernels on the calling thread), so each split is tested.
beforeAll(() => {
  const cutoffs = wasm().minParallelWork;
  for (const task of Object.keys(cutoffs) as (keyof typeof cutoffs)[]) cutoffs[task] = 0;
});

/** The output bits of `kernel` on the default wasm backend with `threads` threads. */
function bitsWith(
  threads: number,
  kernel: string,
  specs: readonly InputSpec[],
  attrs: KernelAttrs,
): Uint32Array {
  setThreads(threads);
  const { values } = runOn('wasm', kernel, specs, attrs, 7);
  expect(backendInfo('wasm').threads).toBe(threads);
  return new Uint32Array(values.buffer, values.byteOffset, values.length);
}

const conv = { stride: [2, 1], padding: [1, 2], dilation: [1, 1] };
const direct = { stride: [1, 1], padding: [1, 2], dilation: [2, 1] };
const lanes = { stride: [1, 1], padding: [2, 2], dilation: [1, 1] };
const pool = { kernelSize: [3, 2], stride: [2, 1], padding: [1, 1] };
const pair = { kernelSize: [2, 2], stride: [2, 2], padding: [0, 0] };

// Odd sizes, so every count shares the work out unevenly.
const cases: [string, InputSpec[], KernelAttrs][] = [
  ['matMul', [{ shape: [67, 45] }, { shape: [45, 131] }], {}], // column panels
  ['matMul', [{ shape: [301, 500] }, { shape: [7, 500] }], { transposeB: true }], // row panels
  ['matMul', [{ shape: [3, 97, 61] }, { shape: [1, 61, 59] }], {}], // batched
  // With a bias, added by each thread to its share once the sums are finished: columns, rows.
  ['matMul', [{ shape: [67, 300] }, { shape: [300, 131] }, { shape: [131] }], {}],
  ['matMul', [{ shape: [301, 500] }, { shape: [7, 500] }, { shape: [7] }], { transposeB: true }],
  ['conv2d', [{ shape: [9, 3, 21, 19] }, { shape: [8, 3, 5, 4] }], conv],
  [
    'conv2dBackpropInput',
    [{ shape: [9, 8, 10, 20] }, { shape: [8, 3, 5, 4] }],
    { ...conv, inputShape: [9, 3, 21, 19] },
  ],
  [
    'conv2dBackpropFilter',
    [{ shape: [9, 3, 21, 19] }, { shape: [9, 8, 10, 20] }],
    { ...conv, filterShape: [8, 3, 5, 4] },
  ],
  // Stride 1 with few channels: the direct kernels (image and channel-block units; dW by channel
  // and tap blocks).
  ['conv2d', [{ shape: [9, 5, 13, 11] }, { shape: [7, 5, 3, 4] }], direct],
  [
    'conv2dBackpropInput',
    [{ shape: [9, 7, 11, 12] }, { shape: [7, 5, 3, 4] }],
    { ...direct, inputShape: [9, 5, 13, 11] },
  ],
  [
    'conv2dBackpropFilter',
    [{ shape: [9, 5, 13, 11] }, { shape: [9, 7, 11, 12] }],
    { ...direct, filterShape: [7, 5, 3, 4] },
  ],
  // Seven images (a last group of three) of width 14: the image-lane kernels.
  ['conv2d', [{ shape: [7, 3, 11, 14] }, { shape: [5, 3, 5, 5] }], lanes],
  [
    'conv2dBackpropInput',
    [{ shape: [7, 5, 11, 14] }, { shape: [5, 3, 5, 5] }],
    { ...lanes, inputShape: [7, 3, 11, 14] },
  ],
  // A 5-wide kernel: dW's units take four taps of a kernel row, then the fifth column's taps.
  [
    'conv2dBackpropFilter',
    [{ shape: [7, 3, 11, 14] }, { shape: [7, 5, 11, 14] }],
    { ...lanes, filterShape: [5, 3, 5, 5] },
  ],
  // One input channel: the 25th tap of all five output channels in one unit.
  [
    'conv2dBackpropFilter',
    [{ shape: [7, 1, 11, 14] }, { shape: [7, 5, 11, 14] }],
    { ...lanes, filterShape: [5, 1, 5, 5] },
  ],
  // Sixteen and thirty-two output channels: the channel-vectorized (wide) direct kernels, odd
  // widths (a pair's second pixel not stored), kernel rows skipped at the padding.
  ['conv2d', [{ shape: [9, 5, 13, 11] }, { shape: [16, 5, 3, 4] }], direct],
  [
    'conv2d',
    [{ shape: [5, 3, 9, 7] }, { shape: [32, 3, 5, 5] }],
    { ...direct, padding: [2, 2], dilation: [1, 1] },
  ],
  [
    'conv2dBackpropInput',
    [{ shape: [9, 7, 11, 12] }, { shape: [7, 16, 3, 4] }],
    { ...direct, inputShape: [9, 16, 13, 11] },
  ],
  [
    'conv2dBackpropFilter',
    [{ shape: [9, 5, 13, 11] }, { shape: [9, 16, 11, 12] }],
    { ...direct, filterShape: [16, 5, 3, 4] },
  ],
  // With a bias, added as each thread finishes its planes: the column path, the direct kernels,
  // the wide direct kernels and the image-lane kernels.
  ['conv2d', [{ shape: [9, 3, 21, 19] }, { shape: [8, 3, 5, 4] }, { shape: [8] }], conv],
  ['conv2d', [{ shape: [9, 5, 13, 11] }, { shape: [7, 5, 3, 4] }, { shape: [7] }], direct],
  ['conv2d', [{ shape: [9, 5, 13, 11] }, { shape: [16, 5, 3, 4] }, { shape: [16] }], direct],
  ['conv2d', [{ shape: [7, 3, 11, 14] }, { shape: [5, 3, 5, 5] }, { shape: [5] }], lanes],
  ['maxPool2d', [{ shape: [9, 7, 33, 31] }], pool],
  ['maxPool2d', [{ shape: [9, 7, 33, 31] }], pair],
  ['avgPool2d', [{ shape: [9, 7, 33, 31] }], pool],
  ['maxPool2dBackward', [{ shape: [9, 7, 17, 32] }, { shape: [9, 7, 33, 31] }], pool],
  ['avgPool2dBackward', [{ shape: [9, 7, 16, 15] }], { ...pair, inputShape: [9, 7, 33, 31] }],
  ['relu', [{ shape: [100_003] }], {}],
  ['neg', [{ shape: [3, 33_335] }], {}],
  ['add', [{ shape: [100_003] }, { shape: [100_003] }], {}],
  ['mul', [{ shape: [100_003] }, { shape: [] }], {}],
  ['sub', [{ shape: [301, 333] }, { shape: [333] }], {}], // a plan of several rows: split by rows
  ['add', [{ shape: [64, 6, 28, 28] }, { shape: [6, 1, 1] }], {}], // a bias: rows of one repeated element
  ['sum', [{ shape: [64, 6, 28, 28] }], { axes: [0, 2, 3], keepDims: false }], // a bias gradient
  ['sum', [{ shape: [5, 11, 7, 9] }], { axes: [0, 2, 3], keepDims: false }], // batches of 8 + 3 rows, split unevenly
  ['sum', [{ shape: [301, 333] }], { axes: [0], keepDims: true }], // accumulators along the rows
  ['variance', [{ shape: [7, 301, 33] }], { axes: [1], keepDims: false }],
  ['max', [{ shape: [301, 333] }], { axes: [1], keepDims: false }],
  ['mapExpr', [{ shape: [100_003] }], { expr: '1 / (1 + exp(-x))', names: ['x'], params: {} }],
  // Formulas float32 evaluates exactly: four lanes a v128, then pairs and a last element.
  ['mapExpr', [{ shape: [100_003] }], { expr: 'z < 0 ? 0 : (z >= 0 ? z : z + 1)', names: ['z'], params: {} }],
  [
    'mapExpr',
    [{ shape: [3, 33_335] }, { shape: [3, 33_335] }],
    { expr: 'g * (z > 0 ? 1 : 0)', names: ['z', 'g'], params: {} },
  ],
  [
    'mapExpr',
    [{ shape: [3, 16_667] }, { shape: [3, 16_667] }],
    { expr: 'x > 0 ? y * a : tanh(y)', names: ['x', 'y'], params: { a: 0.5 } },
  ],
];

describe('wasm kernel threads', () => {
  it('report how many threads run and why, and refuse a bad count', () => {
    setThreads(3);
    expect(backendInfo('wasm')).toEqual({ name: 'wasm', threads: 3, threadsReason: 'setThreads(3)' });
    expect(backendInfo('cpu')).toEqual({
      name: 'cpu',
      threads: 1,
      threadsReason: 'the cpu backend runs its kernels on the calling thread',
    });
    expect(() => setThreads(0)).toThrow('setThreads: got 0; expected an integer from 1 to 64');
    expect(() => setThreads(2.5)).toThrow('setThreads: got 2.5; expected an integer from 1 to 64');
    expect(() => setThreads(65)).toThrow('setThreads: got 65; expected an integer from 1 to 64');
  });

  it.each(cases)('%s gives the same bits on 1, 2, 3 and 4 threads (%j)', (kernel, specs, attrs) => {
    const one = bitsWith(1, kernel, specs, attrs);
    for (const threads of [2, 3, 4]) {
      const bits = bitsWith(threads, kernel, specs, attrs);
      expect(bits.length).toBe(one.length);
      expect(bits.findIndex((b, i) => b !== one[i])).toBe(-1); // the first differing element
    }
  });

  it("addInPlace (the optimizers' update) gives the same bits on 1, 2 and 3 threads", () => {
    const bits = (threads: number, shape: number[], otherShape: number[]): Uint32Array => {
      setThreads(threads);
      return engine().withBackend('wasm', () => {
        const size = shape.reduce((p, d) => p * d, 1);
        const target = tensor(randomValues(size, 3), shape);
        const other = tensor(
          randomValues(
            otherShape.reduce((p, d) => p * d, 1),
            4,
          ),
          otherShape,
        );
        addInPlace(target, other, -0.37);
        const values = target.dataSync().slice();
        target.dispose();
        other.dispose();
        return new Uint32Array(values.buffer);
      });
    };
    for (const [shape, otherShape] of [
      [
        [120, 401],
        [120, 401],
      ], // one row: split by blocks
      [[120, 401], [401]], // broadcast rows: one thread
    ]) {
      const one = bits(1, shape!, otherShape!);
      for (const threads of [2, 3])
        expect(bits(threads, shape!, otherShape!).findIndex((b, i) => b !== one[i])).toBe(-1);
    }
  });

  it('survives a kernel that fails on one worker, with the task and thread named', () => {
    setThreads(2);
    const backend = wasm();
    const a = tensor(new Float32Array(64 * 4).fill(1), [64, 4]);
    const b = tensor(new Float32Array(4 * 8).fill(1), [4, 8]);
    // C has more rows than columns, so thread 0 gets rows 0–31 and thread 1 rows 32–63; placing C
    // so that its first 32 rows end exactly at the end of memory makes only thread 1 trap.
    const c = backend.memoryBytes() - 32 * 8 * 4;
    const args = [64, 8, 4, backend.ptr(a), 4, 1, backend.ptr(b), 8, 1, c, 8, 0, 0] as const;
    expect(() => backend.parallel('gemm', 1 << 30, args, backend.exports.gemmWorkspace(64, 8, 4))).toThrow(
      /^wasm backend: kernel 'gemm' failed on thread 1 of 2: .*out of bounds/,
    );
    // The pool goes on: the next product is right.
    const product = engine().withBackend('wasm', () => engine().runKernel('matMul', [a, b])[0]!);
    expect(Array.from(product.dataSync()).every((v) => v === 4)).toBe(true);
    expect(backendInfo('wasm').threads).toBe(2);
    a.dispose();
    b.dispose();
    product.dispose();
  });

  it('the same module runs on an unshared memory (one byte of its import changed), with the same bits', () => {
    const [shared, unshared] = [true, false].map((isShared) => instantiateSync('simd', isShared)!);
    expect(shared!.exports.memory.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(unshared!.exports.memory.buffer).toBeInstanceOf(ArrayBuffer);
    expect(unshared!.sharedMemory).toBeNull();
    const products = [shared!, unshared!].map(({ exports }) => {
      const [m, n, k] = [37, 29, 41];
      const [a, b, c] = [m * k, k * n, m * n].map((size) => exports.alloc(4 * size));
      const view = new Float32Array(exports.memory.buffer);
      view.set(randomValues(m * k, 1), a! / 4);
      view.set(randomValues(k * n, 2), b! / 4);
      const work = exports.gemmWorkspace(m, n, k);
      exports.gemm(m, n, k, a!, k, 1, b!, n, 1, c!, n, 0, 0, exports.alloc(work), work, 0, 1);
      return new Uint32Array(exports.memory.buffer.slice(c!, c! + 4 * m * n));
    });
    expect(products[1]).toEqual(products[0]);
    expect(() => withUnsharedMemoryImport(Uint8Array.of(0, 97, 115, 109, 1, 0, 0, 0))).toThrow(
      'wasm backend: the kernel module has no shared memory import to unshare',
    );
  });

  it('runs every share with its own task when thread counts alternate and new formulas compile between tasks', () => {
    // A share is claimed by whichever thread comes first, possibly a worker that woke for an
    // earlier task; it must read the task's arguments and thread count after its claim. (Reading
    // the count before let a late worker run "share 3 of 4" of a two-thread task with the next
    // task's half-written arguments: an out-of-bounds access about once in ten runs of this loop.)
    setThreads(4);
    engine().withBackend('wasm', () => {
      for (let i = 0; i < 2000; i++) {
        setThreads(i % 3 === 0 ? 4 : 2 + (i % 2));
        const n = [7, 33, 100, 1000, 4097][i % 5]!;
        tidy(() => {
          const a = tensor(
            Float32Array.from({ length: n }, (_, j) => j),
            [n],
          );
          const sum = add(a, tensor(new Float32Array(n).fill(1), [n])).dataSync();
          expect(sum.every((v, j) => v === j + 1)).toBe(true);
          const x = tensor(
            Float32Array.from({ length: 3 * n }, (_, j) => (j % 5) - 2),
            [3, n],
          );
          expect(packSigns(x).shape).toEqual([3, 2 * Math.ceil(n / 64)]);
          if (i % 7 === 0) {
            // A new formula: every thread compiles it (each runs its own index), then shares run it.
            const k = i % 211;
            expect(
              mapExpr(`x * 2 + ${k}`, { x: a })
                .dataSync()
                .every((v, j) => v === 2 * j + k),
            ).toBe(true);
          }
        });
      }
    });
    setThreads(1);
  }, 120_000);

  describe('in a process of its own', () => {
    let bundle = '';
    beforeAll(() => {
      bundle = bundlePackage();
    });

    const node = (body: string, env: Record<string, string> = {}) => runInNode(bundle, body, env);

    it('exits without closing the threads it used', () => {
      const run = node(
        `t.setThreads(4);\n` +
          `const y = t.matmul(t.ones([256, 256]), t.ones([256, 256]));\n` +
          `console.log(t.backendInfo().threads, y.dataSync()[0]);`,
      );
      expect(run.error).toBeUndefined(); // a process left hanging would time out here
      expect(run.stderr).toBe('');
      expect(String(run.stdout).trim()).toBe('4 256');
      expect(run.status).toBe(0);
    });

    it('takes FBT_THREADS, and refuses a bad value before any work', () => {
      const info = 'console.log(JSON.stringify(t.backendInfo()));';
      const three = node(info, { FBT_THREADS: '3' });
      expect(JSON.parse(String(three.stdout))).toEqual({
        name: 'wasm',
        threads: 3,
        threadsReason: 'FBT_THREADS=3',
      });
      const bad = node(info, { FBT_THREADS: 'many' });
      expect(bad.status).not.toBe(0);
      expect(String(bad.stderr)).toContain("FBT_THREADS: got 'many'; expected an integer from 1 to 64");
      const byDefault = node(info, { FBT_THREADS: '' });
      expect(JSON.parse(String(byDefault.stdout)).threadsReason).toMatch(/^default: min\(\d+ cores, 8\)$/);
    });

    it('warns once on stderr when FBT_THREADS is above the cores (issue 23, group 10)', () => {
      const cores = availableParallelism();
      const info = 't.getThreads(); t.getThreads(); console.log(JSON.stringify(t.backendInfo()));';
      const above = node(info, { FBT_THREADS: String(cores + 1) });
      expect(above.status).toBe(0);
      expect(JSON.parse(String(above.stdout)).threads).toBe(cores + 1);
      expect(String(above.stderr)).toBe(
        `fbt: FBT_THREADS=${cores + 1} is above this machine's ${cores} cores; the wasm kernels run slower than with FBT_THREADS=${cores} or unset\n`,
      );
      const atCores = node(info, { FBT_THREADS: String(cores) });
      expect(atCores.stderr).toBe('');
    });
  });
});
