import { describe, expect, it } from 'vitest';
import { ArgumentError, Rng, ShapeError, randn, tensor } from '@fbt/tensor';
import {
  BatchNorm1d,
  Dropout,
  Flatten,
  Linear,
  Module,
  Sequential,
  loadJSON,
  loadSafetensors,
  saveJSON,
  saveSafetensors,
  type StateDict,
} from '../src';
import { values } from './helpers';

function mlp(seed: number): Sequential {
  const rng = new Rng(seed);
  return new Sequential(
    new Linear(3, 4, { rng }),
    new BatchNorm1d(4),
    new Linear(4, 2, { rng, bias: false }),
  );
}

describe('Module', () => {
  it('dispose() frees every parameter, gradient and buffer, recursively', () => {
    const model = mlp(1);
    const params = model.parameters();
    const grad = tensor([1, 2, 3, 4], [4]);
    params[1]!.grad = grad;
    model.dispose();
    expect(params.every((p) => p.isDisposed)).toBe(true);
    expect(model.namedBuffers().every(([, b]) => b.isDisposed)).toBe(true);
    expect(grad.isDisposed).toBe(true);
    expect(params[1]!.grad).toBeNull();
  });

  it('names parameters and buffers with dotted paths, in registration order', () => {
    const model = mlp(1);
    expect(model.namedParameters().map(([n]) => n)).toEqual([
      '0.weight',
      '0.bias',
      '1.weight',
      '1.bias',
      '2.weight',
    ]);
    expect(model.namedBuffers().map(([n]) => n)).toEqual([
      '1.running_mean',
      '1.running_var',
      '1.num_batches_tracked',
    ]);
    expect(Object.keys(model.stateDict())).toEqual([
      '0.weight',
      '0.bias',
      '1.weight',
      '1.bias',
      '2.weight',
      '1.running_mean',
      '1.running_var',
      '1.num_batches_tracked',
    ]);
    expect(model.parameters().every((p) => p.requiresGrad)).toBe(true);
    expect(model.namedBuffers().every(([, b]) => !b.requiresGrad)).toBe(true);
    expect(model.children()).toHaveLength(3);
    expect(model.at(-1)).toBeInstanceOf(Linear);
    expect(model.namedModules().map(([n]) => n)).toEqual(['', '0', '1', '2']);
  });

  it('switches train/eval on every descendant', () => {
    const model = mlp(1);
    expect(model.modules().every((m) => m.training)).toBe(true);
    model.eval();
    expect(model.modules().every((m) => !m.training)).toBe(true);
    model.train();
    expect(model.at(1).training).toBe(true);
  });

  it('round-trips state through safetensors and JSON into a fresh model with identical outputs', () => {
    const model = mlp(1);
    const x = randn([5, 3], new Rng(2));
    model.call(x); // moves the BatchNorm running statistics away from their initial values
    model.eval();
    const expected = values(model.call(x));
    for (const restore of [() => loadSafetensors(saveSafetensors(model)), () => loadJSON(saveJSON(model))]) {
      const fresh = mlp(99).eval();
      expect(values(fresh.call(x))).not.toEqual(expected);
      const param = fresh.parameters()[0]!;
      fresh.loadStateDict(restore());
      expect(fresh.parameters()[0]).toBe(param); // loaded in place
      expect(values(fresh.call(x))).toEqual(expected);
    }
  });

  it('rejects a state dict with a wrong shape, a missing or an unexpected key, naming each', () => {
    const model = mlp(1);
    const state: StateDict = {
      ...model.stateDict(),
      '0.weight': tensor(new Float32Array(6), [2, 3]),
      extra: tensor([1]),
    };
    delete state['2.weight'];
    expect(() => model.loadStateDict(state)).toThrow(ShapeError);
    expect(() => model.loadStateDict(state)).toThrow(
      /key '0\.weight': got shape \[2, 3\], expected \[4, 3\]/,
    );
    expect(() => model.loadStateDict(state)).toThrow(/missing key '2\.weight' \(expected shape \[2, 4\]\)/);
    expect(() => model.loadStateDict(state)).toThrow(/unexpected key 'extra'/);
    const before = values(model.parameters()[1]!);
    const partial = { '0.bias': tensor([1, 2, 3, 4]) };
    expect(() => model.loadStateDict(partial)).toThrow(/missing key/);
    expect(values(model.parameters()[1]!)).toEqual(before); // nothing copied after a failed check
    model.loadStateDict(partial, false);
    expect(values(model.parameters()[1]!)).toEqual([1, 2, 3, 4]);
  });

  it('runs with substituted parameters in callWith and restores them', () => {
    const layer = new Linear(2, 1, { rng: new Rng(3) });
    const own = layer.weight;
    const y = layer.callWith({ weight: tensor([[1, 2]]), bias: tensor([0.5]) }, tensor([[3, 4]]));
    expect(values(y)).toEqual([11.5]);
    expect(layer.weight).toBe(own);
    expect(() => layer.callWith({ nope: tensor([1]) }, tensor([[3, 4]]))).toThrow(
      /no parameter 'nope'; parameters: weight, bias/,
    );
    expect(() => layer.callWith({ weight: tensor([1, 2]) }, tensor([[3, 4]]))).toThrow(
      /got shape \[2\], expected \[1, 2\]/,
    );
  });

  it('rejects bad registrations and layer arguments', () => {
    class Twice extends Module {
      constructor() {
        super();
        this.registerModule('a', new Flatten());
        this.registerModule('a', new Flatten());
      }
      override forward(x: never): never {
        return x;
      }
    }
    expect(() => new Twice()).toThrow(/name 'a' is already registered/);
    expect(() => new Linear(0, 2, { rng: new Rng(1) })).toThrow(ArgumentError);
    expect(() => new Linear(2, 2.5, { rng: new Rng(1) })).toThrow(
      /Linear: outFeatures=2.5; expected a positive integer/,
    );
    expect(() => new Dropout(1.5, { rng: new Rng(1) })).toThrow(/p=1.5; expected a probability/);
    expect(() => new Sequential({} as Module)).toThrow(/argument 0 is not a Module/);
    expect(() => new Linear(3, 2, { rng: new Rng(1) }).call(tensor([[1, 2]]))).toThrow(
      /Linear: input of shape \[1, 2\]; expected \[N, 3\]/,
    );
  });
});
