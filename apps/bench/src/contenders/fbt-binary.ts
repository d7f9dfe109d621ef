import { noGrad } from '@fbt/autograd';
import { Activation, BinaryLinear, Linear, Sequential, exportBinary, type Module } from '@fbt/layers';
import {
  Rng,
  binaryKernelsAvailable,
  binaryMatMul,
  packSigns,
  tensor,
  tidy,
  withBackend,
  type Tensor,
} from '@fbt/tensor';
import type { Run } from '../contender';
import type { BinaryMatmulSpec, MlpForwardSpec } from '../workloads';

/** Reads `compute`'s output back in a tidy scope, recording nothing for gradients. */
function readBack(compute: () => Tensor): Float32Array[] {
  return noGrad(() => tidy(() => [compute().dataSync() as Float32Array]));
}

/**
 * The binary GEMM on `backendName`: `b` packed once (weights), `a` packed in every run (the
 * activations), then `binaryMatMul`; null where the backend has no bit kernels (gpu).
 */
export function fbtBinaryGemm(backendName: string, spec: BinaryMatmulSpec): Run | null {
  return withBackend(backendName, () => {
    if (!binaryKernelsAvailable()) return null;
    const a = tensor(spec.a.slice(), [spec.m, spec.k]);
    const b = packSigns(tensor(spec.b, [spec.n, spec.k]));
    return () => withBackend(backendName, () => readBack(() => binaryMatMul(packSigns(a), b, spec.k)));
  });
}

/** The spec's MLP: `Linear`s (float) or the `exportBinary` of `BinaryLinear`s with `binaryInput`, sign between. */
function mlp(spec: MlpForwardSpec): Module {
  const layers: Module[] = [];
  spec.weights.forEach((w, i) => {
    const [inputs, outputs] = [spec.widths[i]!, spec.widths[i + 1]!];
    const options = { rng: new Rng(i), bias: false };
    const layer = spec.binary
      ? new BinaryLinear(inputs, outputs, { ...options, binaryInput: true })
      : new Linear(inputs, outputs, options);
    layer.loadStateDict({ weight: tensor(w, [outputs, inputs]) });
    if (i > 0) layers.push(new Activation('sign'));
    layers.push(layer);
  });
  const model = new Sequential(...layers);
  return spec.binary ? exportBinary(model) : model.eval();
}

/** The spec's MLP forward pass on `backendName`; null for the binary one where the backend has no bit kernels. */
export function fbtMlpForward(backendName: string, spec: MlpForwardSpec): Run | null {
  return withBackend(backendName, () => {
    if (spec.binary && !binaryKernelsAvailable()) return null;
    const model = noGrad(() => mlp(spec));
    const x = tensor(spec.x.slice(), [spec.batch, spec.widths[0]!]);
    return () => withBackend(backendName, () => readBack(() => model.call(x)));
  });
}
