import { backward } from '@fbt/autograd';
import { engine, Rng, setThreads, tensor, tidy, withBackend, type WasmBackend } from '@fbt/tensor';
import { describe, expect, it } from 'vitest';
import { Activation, AvgPool2d, Conv2d, crossEntropy, Flatten, Linear, SGD, Sequential } from '../src';

const wasm = (): WasmBackend => engine().findBackend('wasm') as WasmBackend;

describe('a LeNet-like training loop on the wasm backend', () => {
  it('allocates nothing in the steady state: live tensors and wasm memory flat over 1000 steps', () => {
    withBackend('wasm', () => {
      setThreads(2); // the pool's work blocks too
      const rng = new Rng(4);
      const model = new Sequential(
        new Conv2d(1, 4, 3, { padding: 1, rng }),
        new Activation('relu'),
        new AvgPool2d(2),
        new Conv2d(4, 6, 3, { rng }),
        new Activation('relu'),
        new Flatten(),
        new Linear(6 * 4 * 4, 10, { rng }),
      );
      const x = tensor(new Rng(5).fillUniform(new Float32Array(8 * 12 * 12), -1, 1), [8, 1, 12, 12]);
      const labels = tensor(
        Int32Array.from({ length: 8 }, (_, i) => i % 10),
        [8],
        'int32',
      );
      const optimizer = new SGD(model.parameters(), { lr: 0.05 });
      const step = (): number =>
        tidy(() => {
          optimizer.zeroGrad();
          const loss = crossEntropy(model.call(x), labels);
          backward(loss);
          optimizer.step();
          return loss.dataSync()[0]!;
        });
      const first = step();
      for (let i = 0; i < 20; i++) step(); // the allocator's free lists and the work buffers settle
      const live = wasm().numDataIds();
      const bytes = wasm().memoryBytes();
      let last = first;
      for (let i = 0; i < 1000; i++) last = step();
      expect(wasm().numDataIds()).toBe(live);
      expect(wasm().memoryBytes()).toBe(bytes);
      expect(last).toBeLessThan(first / 2); // it trained all along
      setThreads(1);
    });
  }, 120_000);
});
