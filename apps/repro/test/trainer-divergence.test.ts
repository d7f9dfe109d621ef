import { SGD } from '@fbt/layers';
import { mul, Rng, tensor } from '@fbt/tensor';
import { describe, expect, it } from 'vitest';
import { sucOnes } from '../src/experiments/suc-ones';
import { buildModel } from '../src/train/models';
import { objectiveFor, type Objective } from '../src/train/objective';
import { trainEpochs } from '../src/train/trainer';

describe('trainEpochs on a diverging run', () => {
  it('records the NaN losses by name and marks the epochs diverged, not null', () => {
    const settings = sucOnes.full.configs.find((c) => c.id === 'tied')!.settings;
    const model = buildModel(settings, [2], 2, new Rng(0));
    const bce = objectiveFor('bce');
    // NaN in training mode only: the training loss diverges, the test loss (eval mode) stays finite.
    const objective: Objective = {
      loss: (out, y) => (model.training ? mul(bce.loss(out, y), Number.NaN) : bce.loss(out, y)),
      accuracy: bce.accuracy,
    };
    const split = {
      x: tensor(Float32Array.from([0, 1, 1, 0, 1, 1, 0, 0]), [4, 2]),
      y: tensor(Int32Array.from([0, 0, 1, 0]), [4], 'int32'),
    };
    const optimizer = new SGD(model.parameters(), { lr: 0.1, momentum: 0 });
    const epochs = [
      ...trainEpochs({
        model,
        objective,
        optimizer,
        train: split,
        test: split,
        epochs: 2,
        batchSize: 2,
        shuffleSeed: 0,
      }),
    ];
    expect(epochs[0]).not.toHaveProperty('diverged');
    expect(epochs[0]!.trainLoss).toBeNull();
    expect(epochs[1]).toMatchObject({ epoch: 1, trainLoss: 'NaN', diverged: true });
    expect(JSON.parse(JSON.stringify(epochs[2]))).toMatchObject({
      epoch: 2,
      trainLoss: 'NaN',
      diverged: true,
    });
  });
});
