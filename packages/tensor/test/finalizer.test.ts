import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { add, engine, keep, tensor, tidy, withBackend, type Backend } from '../src';

// A gc() function for this test: set the flag, then read `gc` from a fresh context.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** Collects garbage until `done()` or 20 rounds; finalizers run between the rounds. */
async function collectUntil(done: () => boolean): Promise<void> {
  for (let round = 0; round < 20 && !done(); round++) {
    collectGarbage();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('the engine frees the storage of forgotten tensors', () => {
  const wasm = (): Backend => engine().findBackend('wasm');

  it('a tensor created on wasm and forgotten', async () => {
    const before = wasm().numDataIds();
    withBackend('wasm', () => {
      tensor([1, 2, 3], [3]);
    });
    expect(wasm().numDataIds()).toBe(before + 1);
    await collectUntil(() => wasm().numDataIds() === before);
    expect(wasm().numDataIds()).toBe(before);
  });

  it('a cpu tensor moved to wasm by a wasm op, then forgotten: the storage it moved to', async () => {
    const before = wasm().numDataIds();
    const moved = (): void => {
      const x = withBackend('cpu', () => tensor([1, 2, 3], [3]));
      withBackend('wasm', () => add(x, x).dispose()); // moves x's storage to wasm
    };
    moved();
    expect(wasm().numDataIds()).toBe(before + 1);
    await collectUntil(() => wasm().numDataIds() === before);
    expect(wasm().numDataIds()).toBe(before);
  });

  // Tensors inside a tidy get their finalizer only when they leave it (returned from the outermost
  // scope, kept, or left behind by a throw); the rest are disposed by the scope.
  it('tensors that leave tidy scopes (returned through nested scopes, kept, thrown past), then forgotten', async () => {
    const before = wasm().numDataIds();
    withBackend('wasm', () => {
      tidy(() => tidy(() => add(tensor([1, 2], [2]), tensor([3, 4], [2])))); // one survives both scopes
      tidy(() => {
        keep(tensor([5], [1]));
        tensor([6], [1]); // disposed by the scope
      });
      expect(() =>
        tidy(() => {
          tensor([7], [1]);
          throw new Error('thrown inside tidy');
        }),
      ).toThrow('thrown inside tidy');
    });
    expect(wasm().numDataIds()).toBe(before + 3);
    await collectUntil(() => wasm().numDataIds() === before);
    expect(wasm().numDataIds()).toBe(before);
  });

  it('a tensor returned from tidy and disposed by hand is freed once', () => {
    const before = wasm().numDataIds();
    const t = withBackend('wasm', () => tidy(() => add(tensor([1], [1]), tensor([2], [1]))));
    expect(wasm().numDataIds()).toBe(before + 1);
    t.dispose();
    t.dispose();
    expect(wasm().numDataIds()).toBe(before);
  });
});
