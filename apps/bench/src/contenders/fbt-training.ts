import { backward } from '@fbt/autograd';
import {
  Activation,
  AvgPool2d,
  Conv2d,
  crossEntropy,
  Flatten,
  Linear,
  Module,
  SGD,
  Sequential,
} from '@fbt/layers';
import { assignInPlace, Rng, tensor, tidy, withBackend } from '@fbt/tensor';
import type { Run } from '../contender';
import { paramShapes, type LayerSpec, type TrainingSpec } from '../training';

/** The @fbt/layers module of one framework-neutral layer, its weights drawn from `rng`. */
export function layerOf(layer: LayerSpec, rng: Rng): Module {
  switch (layer.kind) {
    case 'linear':
      return new Linear(layer.in, layer.out, { rng });
    case 'conv':
      return new Conv2d(layer.in, layer.out, layer.size, { rng, padding: layer.padding });
    case 'relu':
      return new Activation('relu');
    case 'avgPool':
      return new AvgPool2d(layer.size);
    case 'flatten':
      return new Flatten();
  }
}

/**
 * One SGD step of the spec's model with @fbt/layers, @fbt/autograd and @fbt/surrogates on the
 * backend `backendName`: forward, cross-entropy, backward, in-place update. Returns the loss. The
 * last parameter is read back after the update too (it is updated last), so the step's time
 * includes every update a device (the GPU) had queued.
 */
export function fbtTrainingStep(backendName: string, spec: TrainingSpec): Run {
  return withBackend(backendName, () => {
    const model = new Sequential(...spec.layers.map((layer) => layerOf(layer, new Rng(0))));
    const shapes = spec.layers.flatMap(paramShapes);
    model.parameters().forEach((p, i) => assignInPlace(p, tensor(spec.params[i]!.slice(), shapes[i]!)));
    const x = tensor(spec.x.slice(), spec.inputShape);
    const labels = tensor(spec.labels.slice(), [spec.labels.length], 'int32');
    const parameters = model.parameters();
    const lastParameter = parameters[parameters.length - 1]!;
    const optimizer = new SGD(parameters, { lr: spec.lr });
    return () =>
      withBackend(backendName, () =>
        tidy(() => {
          optimizer.zeroGrad();
          const loss = crossEntropy(model.call(x), labels);
          backward(loss);
          optimizer.step();
          lastParameter.dataSync();
          return [loss.dataSync() as Float32Array];
        }),
      );
  });
}
