import {
  Activation,
  AvgPool2d,
  BatchNorm1d,
  BinaryLinear,
  Conv2d,
  Flatten,
  Linear,
  Sequential,
  type Module,
} from '@fbt/layers';
import type { Rng } from '@fbt/tensor';
import type { RunSettings } from '../experiments/types';
import {
  ResNet,
  RowRecurrentClassifier,
  SpikingClassifier,
  VisionTransformer,
  boundRule,
} from './beyond-models';

function act(settings: RunSettings): Activation {
  return new Activation(settings.forward, settings.rule.name, settings.rule.params);
}

function flatSize(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Builds the network of a run, initialised from `rng`:
 * - `unit`: Linear(d → 1) then the activation (its output is the prediction, as in the paper);
 * - `mlp`: Flatten, then Linear + activation per hidden width, then a linear output layer;
 * - `lenet5`: conv 1→6 5×5 pad 2, act, avgpool 2, conv 6→16 5×5, act, avgpool 2, 400→120, act,
 *   120→84, act, 84→classes;
 * - `binary-mlp`: Flatten, then per hidden width BinaryLinear + BatchNorm1d + sign-like activation,
 *   then a real-valued linear output layer;
 * - `gru`, `lstm`, `vit`, `spiking-mlp`, `spiking-cnn`, `resnet`: the networks beyond the paper
 *   (beyond-models.ts), the run's rule on every gate, MLP-block activation, spike or ReLU.
 */
export function buildModel(
  settings: RunSettings,
  inputShape: readonly number[],
  numClasses: number,
  rng: Rng,
): Module {
  const model = settings.model;
  const inputs = flatSize(inputShape);
  switch (model.kind) {
    case 'unit':
      return new Sequential(new Flatten(), new Linear(inputs, 1, { rng }), act(settings));
    case 'mlp': {
      const layers: Module[] = [new Flatten()];
      let width = inputs;
      for (const h of model.hidden) {
        layers.push(new Linear(width, h, { rng }), act(settings));
        width = h;
      }
      layers.push(new Linear(width, numClasses, { rng }));
      return new Sequential(...layers);
    }
    case 'lenet5':
      return new Sequential(
        new Conv2d(inputShape[0] ?? 1, 6, 5, { padding: 2, rng }),
        act(settings),
        new AvgPool2d(2),
        new Conv2d(6, 16, 5, { rng }),
        act(settings),
        new AvgPool2d(2),
        new Flatten(),
        new Linear(400, 120, { rng }),
        act(settings),
        new Linear(120, 84, { rng }),
        act(settings),
        new Linear(84, numClasses, { rng }),
      );
    case 'binary-mlp': {
      const layers: Module[] = [new Flatten()];
      let width = inputs;
      for (const h of model.hidden) {
        layers.push(new BinaryLinear(width, h, { rng }), new BatchNorm1d(h), act(settings));
        width = h;
      }
      layers.push(new Linear(width, numClasses, { rng }));
      return new Sequential(...layers);
    }
    case 'gru':
    case 'lstm':
      return new RowRecurrentClassifier(model, boundRule(settings.rule), numClasses, rng);
    case 'vit':
      return new VisionTransformer(model, settings.forward, boundRule(settings.rule), numClasses, rng);
    case 'spiking-mlp':
    case 'spiking-cnn':
      return new SpikingClassifier(
        model,
        inputShape,
        boundRule(settings.rule),
        numClasses,
        rng.fork('spikes'),
      );
    case 'resnet':
      return new ResNet(model, () => act(settings), numClasses, rng);
  }
}
