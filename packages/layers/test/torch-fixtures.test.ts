import { describe, expect, it } from 'vitest';
import { Rng, randn } from '@fbt/tensor';
import {
  Activation,
  AvgPool2d,
  BatchNorm1d,
  BatchNorm2d,
  Conv2d,
  Flatten,
  Linear,
  Sequential,
  loadSafetensors,
  readSafetensorsHeader,
  saveSafetensors,
  type StateDict,
} from '../src';
import { expectClose, fixture, values } from './helpers';

/** The fbt twin of the script's `nn.Sequential(nn.Linear(4, 3), nn.BatchNorm1d(3))`. */
const linearBatchNorm = (): Sequential =>
  new Sequential(new Linear(4, 3, { rng: new Rng(5) }), new BatchNorm1d(3));

describe('PyTorch checkpoints (Linear + BatchNorm1d)', () => {
  const io = loadSafetensors(fixture('linear-batchnorm-io'));

  it('uses PyTorch state-dict names for the BatchNorm buffers', () => {
    const model = linearBatchNorm();
    const torchNames = Object.keys(readSafetensorsHeader(fixture('linear-batchnorm-trained')).entries);
    expect(Object.keys(model.stateDict()).sort()).toEqual(torchNames.sort());
    expect(torchNames).toContain('1.num_batches_tracked');
    expect(model.at(1)).toBeInstanceOf(BatchNorm1d);
  });

  it('loads the trained checkpoint strictly and reproduces its evaluation outputs', () => {
    const model = linearBatchNorm();
    const state = loadSafetensors(fixture('linear-batchnorm-trained'));
    model.loadStateDict(state); // strict: every key matches, I64 num_batches_tracked as int32
    const bn = model.at(1) as BatchNorm1d;
    expect(bn.numBatchesTracked.dtype).toBe('int32');
    expect(values(bn.numBatchesTracked)).toEqual([3]);
    model.eval();
    expectClose(model.call(io.x_eval!), io.y_eval!);
  });

  it('trains from the initial checkpoint like PyTorch: outputs, running statistics, num_batches_tracked', () => {
    const model = linearBatchNorm();
    model.loadStateDict(loadSafetensors(fixture('linear-batchnorm-init')));
    model.train();
    for (let i = 0; i < 3; i++) expectClose(model.call(io[`x_train${i}`]!), io[`y_train${i}`]!);
    const trained = loadSafetensors(fixture('linear-batchnorm-trained'));
    const own = model.stateDict();
    for (const [name, t] of Object.entries(trained)) {
      expect(own[name]!.dtype).toBe(t.dtype);
      expectClose(own[name]!, t);
    }
    expect(values(own['1.num_batches_tracked']!)).toEqual([3]);
  });

  it('reads F64, F16 and BF16 written by PyTorch when asked to convert them', () => {
    const state = loadSafetensors(fixture('float-dtypes'), { convertFloats: true });
    const exact = values(state.f32!);
    expect(values(state.f64!)).toEqual(exact);
    expect(values(state.f16!)).toEqual([1, -2.5, 0.0999755859375, 65504, 2 ** -24, -0]);
    expect(values(state.bf16!)).toEqual([1, -2.5, 0.10009765625, 65536, 2 ** -24, -0]);
    expect(() => loadSafetensors(fixture('float-dtypes'))).toThrow(/pass \{ convertFloats: true \}/);
  });
});

describe('LeNet with BatchNorm2d', () => {
  const lenet = (seed: number): Sequential => {
    const rng = new Rng(seed);
    return new Sequential(
      new Conv2d(1, 6, 5, { padding: 2, rng }),
      new BatchNorm2d(6),
      new Activation('relu'),
      new AvgPool2d(2),
      new Conv2d(6, 16, 5, { rng }),
      new BatchNorm2d(16),
      new Activation('relu'),
      new AvgPool2d(2),
      new Flatten(),
      new Linear(400, 120, { rng }),
      new BatchNorm1d(120),
      new Activation('relu'),
      new Linear(120, 10, { rng }),
    );
  };

  it('round-trips through safetensors strictly, buffers and counters included, with identical outputs', () => {
    const model = lenet(1);
    const x = randn([4, 1, 28, 28], new Rng(2));
    model.call(x);
    model.call(x); // two training passes: running statistics and num_batches_tracked = 2
    model.eval();
    const expected = values(model.call(x));
    const bytes = saveSafetensors(model);
    const header = readSafetensorsHeader(bytes).entries;
    expect(header['1.num_batches_tracked']).toEqual({
      dtype: 'I32',
      shape: [],
      data_offsets: expect.anything(),
    });
    expect(Object.keys(header).filter((k) => k.includes('running'))).toEqual([
      '1.running_mean',
      '1.running_var',
      '10.running_mean',
      '10.running_var',
      '5.running_mean',
      '5.running_var',
    ]);
    const fresh = lenet(9).eval();
    const state: StateDict = loadSafetensors(bytes);
    fresh.loadStateDict(state); // strict
    expect(values(fresh.stateDict()['5.num_batches_tracked']!)).toEqual([2]);
    expect(values(fresh.call(x))).toEqual(expected);
    delete state['10.num_batches_tracked'];
    expect(() => lenet(9).loadStateDict(state)).toThrow(/missing key '10\.num_batches_tracked'/);
  });
});
