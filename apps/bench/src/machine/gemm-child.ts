// One process of `measureProcessScaling`: times `reps` products on the wasm backend with one kernel
// thread, after a warm-up, and prints {"ms": …} on stdout. `float`: [m, k]·[k, n] by the float GEMM;
// `binary`: the ±1 product A·Bᵀ of packed [m, k] and [n, k] signs by XNOR-popcount (binaryMatMul).
import {
  binaryMatMul,
  matmul,
  packSigns,
  registerWasmBackend,
  Rng,
  setThreads,
  tensor,
  tidy,
  withBackend,
} from '@fbt/tensor';

const [m, k, n, reps] = process.argv.slice(2, 6).map(Number) as [number, number, number, number];
const kind = process.argv[6] === 'binary' ? 'binary' : 'float';
registerWasmBackend();
setThreads(1);
withBackend('wasm', () => {
  const rng = new Rng(1);
  const a = tensor(rng.fillUniform(new Float32Array(m * k), -1, 1), [m, k]);
  const b = tensor(rng.fillUniform(new Float32Array(k * n), -1, 1), kind === 'binary' ? [n, k] : [k, n]);
  const [aBits, bBits] = kind === 'binary' ? [packSigns(a), packSigns(b)] : [a, b];
  const run =
    kind === 'binary'
      ? (): void => tidy(() => void binaryMatMul(aBits, bBits, k).dataSync())
      : (): void => tidy(() => void matmul(a, b).dataSync());
  for (let i = 0; i < Math.max(3, reps / 10); i++) run();
  const start = performance.now();
  for (let i = 0; i < reps; i++) run();
  process.stdout.write(`${JSON.stringify({ ms: performance.now() - start })}\n`);
});
