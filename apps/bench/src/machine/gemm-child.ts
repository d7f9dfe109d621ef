// One process of `measureProcessScaling`: times `reps` products [m, k]·[k, n] on the wasm backend
// with one kernel thread, after a warm-up, and prints {"ms": …} on stdout.
import { matmul, registerWasmBackend, Rng, setThreads, tensor, tidy, withBackend } from '@fbt/tensor';

const [m, k, n, reps] = process.argv.slice(2).map(Number) as [number, number, number, number];
registerWasmBackend();
setThreads(1);
withBackend('wasm', () => {
  const rng = new Rng(1);
  const a = tensor(rng.fillUniform(new Float32Array(m * k), -1, 1), [m, k]);
  const b = tensor(rng.fillUniform(new Float32Array(k * n), -1, 1), [k, n]);
  const run = (): void => tidy(() => void matmul(a, b).dataSync());
  for (let i = 0; i < Math.max(3, reps / 10); i++) run();
  const start = performance.now();
  for (let i = 0; i < reps; i++) run();
  process.stdout.write(`${JSON.stringify({ ms: performance.now() - start })}\n`);
});
