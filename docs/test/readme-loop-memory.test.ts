import { describe, expect, it } from 'vitest';
import { backward } from '@fbt/autograd';
import { Rng, engine, tidy, withBackend, type WasmBackend } from '@fbt/tensor';
import { rule } from '@fbt/surrogates';
import { Activation, Adam, Linear, Sequential, crossEntropy } from '@fbt/layers';
import { DataLoader, trainTestSplit, twoMoons } from '@fbt/datasets';

const wasm = (): WasmBackend => engine().findBackend('wasm') as WasmBackend;

/**
 * The README's training loop, written as a newcomer writes it (batches never disposed by hand), run
 * for 30 000 steps on the wasm backend, whose memory the garbage collector does not see: the loader
 * disposes each batch when the next is requested, so live tensors and linear memory stay flat.
 * (Before that, this loop grew about 200 KB per step and died near step 20 800.)
 */
describe("the README's loop over 30 000 steps (wasm)", () => {
  it('keeps live tensors and wasm linear memory flat', () => {
    withBackend('wasm', () => {
      const { x, y } = twoMoons({ n: 1000, noise: 0.1, rng: 1 });
      const { train } = trainTestSplit(x, y, { testFraction: 0.2, rng: 2 });
      const rng = new Rng(0);
      const model = new Sequential(
        new Linear(2, 8, { rng }),
        new Activation('heaviside', rule('rectangular', { a: -1, b: 1 })),
        new Linear(8, 2, { rng }),
      );
      const optimizer = new Adam(model.parameters(), { lr: 0.02 });
      const loader = new DataLoader(train.x, train.y, { batchSize: 50, shuffle: true, rng: 3 });
      let steps = 0;
      const trainSteps = (count: number): void => {
        while (count > 0) {
          for (const batch of loader) {
            tidy(() => {
              optimizer.zeroGrad();
              backward(crossEntropy(model.call(batch.x), batch.y));
              optimizer.step();
            });
            steps++;
            if (--count === 0) break;
          }
        }
      };
      trainSteps(16 * 10); // ten epochs: optimizer state and allocator warmed up
      const live = wasm().numDataIds();
      const bytes = wasm().memoryBytes();
      trainSteps(30_000);
      expect(steps).toBe(30_160);
      expect(wasm().numDataIds()).toBe(live);
      expect(wasm().memoryBytes()).toBe(bytes);
      console.log(
        `README loop, 30 000 steps on wasm: ${live} live tensors before and after, ${bytes} bytes of linear memory`,
      );
      model.dispose();
      optimizer.dispose();
    });
  }, 120_000);
});
