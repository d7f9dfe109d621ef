/* global console, process */
// Times each kernel the wasm backend shares out over its threads on 1 and on N threads (default 2;
// `node scripts/thread-cutoffs.mjs 4`) over doubling sizes, with every cutoff at 0 so the pool always
// runs, and prints the ratios: the smallest size where N threads beat 1 is the kernel's cutoff
// (its record's `cutoff` in src/backends/wasm/kernel-records.ts). wasm ops are synchronous, so nothing is read
// back (a read-back would add a one-thread copy to every run). Needs the built package (`pnpm build`).
import {
  addInPlace,
  avgPool2d,
  conv2d,
  engine,
  mapExpr,
  matmul,
  relu,
  add,
  sum,
  Rng,
  setBackend,
  setThreads,
  tensor,
  tidy,
  packSigns,
  binaryMatMul,
} from '../dist/index.js';

const threads = Number(process.argv[2] ?? 2);
if (!Number.isInteger(threads) || threads < 2 || threads > 64 || process.argv.length > 3) {
  console.error(
    `thread-cutoffs: got ${process.argv.slice(2).join(' ')}; expected one thread count from 2 to 64`,
  );
  process.exit(2);
}
setBackend('wasm');
const backend = engine().findBackend('wasm');
for (const task of Object.keys(backend.minParallelWork)) backend.minParallelWork[task] = 0;
const rng = new Rng(1);
const random = (shape) =>
  tensor(rng.fillUniform(new Float32Array(shape.reduce((a, b) => a * b, 1)), -1, 1), shape);

/** Median ms of `op` (its outputs disposed) over 7 samples of about 50 ms each, on `n` threads. */
function time(op, n) {
  const run = () => tidy(() => void op());
  setThreads(n);
  run();
  const start = performance.now();
  let reps = 0;
  while (performance.now() - start < 50) (run(), reps++);
  const samples = [];
  for (let s = 0; s < 7; s++) {
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) run();
    samples.push((performance.now() - t0) / reps);
  }
  return samples.sort((a, b) => a - b)[3];
}

/** Each kernel: its work units at scale `s` and an op of that size. */
const kernels = {
  gemm: (s) => {
    const [a, b] = [random([s, s]), random([s, s])];
    return [s * s * s, () => matmul(a, b)];
  },
  conv2d: (s) => {
    const [x, w] = [random([s, 6, 24, 24]), random([16, 6, 5, 5])];
    return [16 * 150 * s * 400, () => conv2d(x, w)];
  },
  avgPool: (s) => {
    const x = random([s, 6, 28, 28]);
    return [s * 6 * 784, () => avgPool2d(x, { kernelSize: 2, stride: 2 })];
  },
  unary: (s) => {
    const x = random([s * 1024]);
    return [s * 1024, () => relu(x)];
  },
  binary: (s) => {
    const [x, b] = [random([s * 16, 64]), random([64])];
    return [s * 1024, () => add(x, b)];
  },
  axpy: (s) => {
    const [t, x] = [random([s * 1024]), random([s * 1024])];
    return [s * 1024, () => addInPlace(t, x, 0.5)];
  },
  reduce: (s) => {
    const x = random([s * 16, 64]);
    return [s * 1024, () => sum(x, 0)];
  },
  mapFormula: (s) => {
    const x = random([s * 1024]);
    return [s * 1024, () => mapExpr('1 / (1 + exp(-x))', { x })];
  },
  packSigns: (s) => {
    const x = random([s * 16, 64]);
    return [s * 1024, () => packSigns(x)];
  },
  binaryGemm: (s) => {
    const [a, b] = [packSigns(random([s, 1024])), packSigns(random([s, 1024]))];
    return [s * s * 32 * 32, () => binaryMatMul(a, b, 1024)]; // m·n·(int32 words)·32, as the kernel counts
  },
};

const memoryBound = [16, 64, 256, 1024, 4096];
const scales = {
  gemm: [16, 32, 48, 64, 96, 128, 256],
  conv2d: [1, 2, 4, 8, 16, 32],
  unary: memoryBound,
  binary: memoryBound,
  axpy: memoryBound,
  reduce: memoryBound,
  packSigns: memoryBound,
  binaryGemm: [8, 16, 32, 64, 128, 256],
};
console.log(`kernel        work      1 thread ms   ${threads} threads ms   speed-up`);
for (const [name, make] of Object.entries(kernels)) {
  for (const s of scales[name] ?? [4, 8, 16, 32, 64, 128, 256]) {
    const [work, run] = make(s);
    const one = time(run, 1);
    const many = time(run, threads);
    console.log(
      `${name.padEnd(12)} ${String(work).padStart(10)} ${one.toFixed(4).padStart(12)} ${many.toFixed(4).padStart(14)} ${(one / many).toFixed(2).padStart(9)}`,
    );
  }
}
