// Times one training step of the bnn-mnist model (Flatten, BinaryLinear 784→256 + BatchNorm1d +
// sign, BinaryLinear 256→256 + BatchNorm1d + sign, Linear 256→10: train/models.ts's binary-mlp with
// the experiment's widths) with its second BinaryLinear on the float product and on bits
// (`binaryInput`), batch 64, SGD lr 0.01 momentum 0.9, as fitEpochs steps (zeroGrad, forward, loss,
// backward, step, applyConstraints), and the forward alone (training mode, on the tape). Best of N
// of each, interleaved, after a warm-up; random pixels (the times do not depend on the values).
// Build first (pnpm turbo run build --filter=@fbt/repro...), then from apps/repro:
//   FBT_THREADS=1 node scripts/bnn-step-time.mjs [backend=wasm] [N=200]
import { performance } from 'node:perf_hooks';
import { backward } from '@fbt/autograd';
import {
  Activation,
  BatchNorm1d,
  BinaryLinear,
  Flatten,
  Linear,
  SGD,
  Sequential,
  crossEntropy,
} from '@fbt/layers';
import { Rng, backendInfo, rand, tensor, tidy, withBackend } from '@fbt/tensor';

const backend = process.argv[2] ?? 'wasm';
const passes = Number(process.argv[3] ?? 200);
const BATCH = 64;

/** The bnn-mnist model, its second BinaryLinear on bits when `bits`. */
function model(bits) {
  const rng = new Rng(0);
  const act = () => new Activation('sign', 'rectangular', { a: -1, b: 1 });
  return new Sequential(
    new Flatten(),
    new BinaryLinear(784, 256, { rng }),
    new BatchNorm1d(256),
    act(),
    new BinaryLinear(256, 256, { rng, binaryInput: bits }),
    new BatchNorm1d(256),
    act(),
    new Linear(256, 10, { rng }),
  );
}

function timed(fn) {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

withBackend(backend, () => {
  const rng = new Rng(1);
  const x = rand([BATCH, 1, 28, 28], rng);
  const y = tensor(
    Array.from({ length: BATCH }, (_, i) => i % 10),
    [BATCH],
    'int32',
  );
  const setups = [false, true].map((bits) => {
    const m = model(bits);
    const optimizer = new SGD(m.parameters(), { lr: 0.01, momentum: 0.9 });
    const step = () => {
      optimizer.zeroGrad();
      tidy(() => {
        const loss = crossEntropy(m.call(x), y);
        loss.item();
        backward(loss);
      });
      optimizer.step();
      m.applyConstraints();
    };
    const forward = () => tidy(() => void m.call(x).dataSync());
    const onBits = m.modules().filter((l) => l instanceof BinaryLinear && l.usesBitPath).length;
    return {
      name: bits ? 'bit path' : 'float path',
      step,
      forward,
      onBits,
      best: { step: Infinity, forward: Infinity },
    };
  });
  for (const s of setups) for (let i = 0; i < 10; i++) (s.step(), s.forward());
  for (let i = 0; i < passes; i++)
    for (const s of setups) {
      s.best.step = Math.min(s.best.step, timed(s.step));
      s.best.forward = Math.min(s.best.forward, timed(s.forward));
    }
  const info = backendInfo();
  console.log(`backend ${backend} (${JSON.stringify(info)}), batch ${BATCH}, best of ${passes}`);
  for (const s of setups)
    console.log(
      `${s.name} (${s.onBits} layer on bits): step ${s.best.step.toFixed(3)} ms, forward ${s.best.forward.toFixed(3)} ms (${((100 * s.best.forward) / s.best.step).toFixed(0)} % of the step)`,
    );
  const [float, bits] = setups;
  console.log(
    `float ÷ bit: step ${(float.best.step / bits.best.step).toFixed(2)}×, forward ${(float.best.forward / bits.best.forward).toFixed(2)}×`,
  );
});
