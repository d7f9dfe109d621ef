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

/** Options of `buildModel`. */
export interface BuildOptions {
  /**
   * Whether a `binary-mlp` under the `sign` forward runs its ±1-input layers on bits (see
   * `buildModel`; default true). False builds the float twin of the same parameters: the
   * inference measurement's reference (train/inference.ts).
   */
  readonly bitPath?: boolean;
}

/**
 * Builds the network of a run, initialised from `rng`:
 * - `unit`: Linear(d → 1) then the activation (its output is the prediction, as in the paper);
 * - `mlp`: Flatten, then Linear + activation per hidden width, then a linear output layer;
 * - `lenet5`: conv 1→6 5×5 pad 2, act, avgpool 2, conv 6→16 5×5, act, avgpool 2, 400→120, act,
 *   120→84, act, 84→classes;
 * - `binary-mlp`: Flatten, then per hidden width BinaryLinear + BatchNorm1d + sign-like activation,
 *   then a real-valued linear output layer. Under the `sign` forward (and `options.bitPath`, the
 *   default) every BinaryLinear after the first reads the ±1 output of a sign activation and is
 *   built with `binaryInput`: its forward runs by XNOR-popcount where the backend has the bit
 *   kernels (cpu, wasm), with the same result bits as the float product (no α scaling), so the
 *   run's numbers do not change. The first one reads real pixels and stays float; so do all of them
 *   under another forward (heaviside's 0/1, tanh, … are not ±1). The one difference: a NaN input
 *   (a diverged run's) reads as −1 on bits where the float product gives NaN;
 * - `gru`, `lstm`, `vit`, `spiking-mlp`, `spiking-cnn`, `resnet`: the networks beyond the paper
 *   (beyond-models.ts), the run's rule on every gate, MLP-block activation, spike or ReLU.
 */
export function buildModel(
  settings: RunSettings,
  inputShape: readonly number[],
  numClasses: number,
  rng: Rng,
  options: BuildOptions = {},
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
      const bits = settings.forward === 'sign' && (options.bitPath ?? true);
      let width = inputs;
      for (const [i, h] of model.hidden.entries()) {
        const binaryInput = bits && i > 0;
        layers.push(new BinaryLinear(width, h, { rng, binaryInput }), new BatchNorm1d(h), act(settings));
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
