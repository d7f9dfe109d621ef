import type { DatasetSpec, ModelSpec, RunSettings } from '../experiments/types';

/** Training examples of MNIST and Fashion-MNIST, and of the DIGITS set before its split. */
const IMAGE_TRAIN_EXAMPLES = 60_000;
const DIGITS_EXAMPLES = 1797;
const DIGITS_FEATURES = 64;
const CLASSES = 10;

/**
 * Multiply-adds of one LeNet-5 forward pass on a 1×28×28 image: conv1 6×(5·5)×28·28, conv2
 * 16×(6·5·5)×10·10, and the 400→120→84→10 layers.
 */
const LENET5_MACS = 6 * 25 * 784 + 16 * 150 * 100 + 400 * 120 + 120 * 84 + 84 * 10;

/** Training examples a run sees per epoch. */
export function trainExamples(dataset: DatasetSpec): number {
  if (dataset.name === 'ones') return Math.round(dataset.n * (1 - dataset.testFraction));
  if (dataset.name === 'digits') return Math.round(DIGITS_EXAMPLES * (1 - dataset.testFraction));
  return Math.min(dataset.trainSize ?? IMAGE_TRAIN_EXAMPLES, IMAGE_TRAIN_EXAMPLES);
}

function inputSize(dataset: DatasetSpec): number {
  if (dataset.name === 'ones') return dataset.d;
  return dataset.name === 'digits' ? DIGITS_FEATURES : 28 * 28;
}

/** The sum of a list of numbers. */
function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** Multiply-adds of a chain of dense layers of these widths. */
function denseMacs(widths: readonly number[]): number {
  return widths.slice(1).reduce((sum, w, i) => sum + widths[i]! * w, 0);
}

/** Rows (time steps) and pixels per row of the 28×28 images the recurrent models read. */
const SIDE = 28;

/** Multiply-adds of one forward pass of a model on one example (see train/models.ts). */
function forwardMacs(model: ModelSpec, dataset: DatasetSpec): number {
  switch (model.kind) {
    case 'lenet5':
      return LENET5_MACS;
    case 'unit':
      return inputSize(dataset);
    case 'mlp':
    case 'binary-mlp':
      return denseMacs([inputSize(dataset), ...model.hidden, CLASSES]);
    case 'gru':
    case 'lstm': {
      const gates = model.kind === 'gru' ? 3 : 4;
      const h = model.hidden;
      const firstLayer = gates * h * (SIDE + h);
      return SIDE * (firstLayer + (model.layers - 1) * gates * h * 2 * h) + h * CLASSES;
    }
    case 'vit': {
      const tokens = (SIDE / model.patch) ** 2;
      const w = model.width;
      const layer = 4 * tokens * w * w + 2 * tokens * tokens * w + 2 * tokens * w * model.mlpWidth;
      return tokens * model.patch ** 2 * w + model.depth * layer + w * CLASSES;
    }
    case 'spiking-mlp':
      return model.steps * denseMacs([inputSize(dataset), ...model.hidden, CLASSES]);
    case 'spiking-cnn': {
      const c = model.channels;
      return model.steps * (c * 25 * SIDE * SIDE + 2 * c * c * 25 * 10 * 10 + 2 * c * 25 * CLASSES);
    }
    case 'resnet': {
      const w = model.width;
      const full = SIDE * SIDE;
      const half = full / 4;
      const stage1 = model.blocks * 2 * w * w * 9 * full;
      const stage2 =
        2 * w * w * (9 + 1) * half + 4 * w * w * 9 * half + (model.blocks - 1) * 2 * 4 * w * w * 9 * half;
      return w * 9 * full + stage1 + stage2 + 2 * w * CLASSES;
    }
  }
}

/** Parameters of a stack of recurrent layers (PyTorch's layout: both biases). */
function recurrentParameters(gates: number, inputs: number, hidden: number, layers: number): number {
  let total = 0;
  for (let l = 0; l < layers; l++) total += gates * hidden * ((l === 0 ? inputs : hidden) + hidden + 2);
  return total;
}

/** Parameters of a residual block (two 3×3 convolutions and BatchNorms, a 1×1 shortcut when the width changes). */
function blockParameters(inputs: number, outputs: number): number {
  const shortcut = inputs === outputs ? 0 : inputs * outputs + 2 * outputs;
  return 9 * inputs * outputs + 9 * outputs * outputs + 4 * outputs + shortcut;
}

/**
 * The number of trainable parameters of a model on a dataset (see train/models.ts): what a run holds
 * at least three more copies of (gradients and the optimizer's state).
 */
export function parameterCount(model: ModelSpec, dataset: DatasetSpec): number {
  const classes = dataset.name === 'ones' ? 2 : CLASSES;
  const dense = (widths: readonly number[]): number =>
    widths.slice(1).reduce((sum, w, i) => sum + (widths[i]! + 1) * w, 0);
  switch (model.kind) {
    case 'unit':
      return inputSize(dataset) + 1;
    case 'lenet5':
      return 6 * 26 + 16 * 151 + 401 * 120 + 121 * 84 + 85 * classes;
    case 'mlp':
    case 'spiking-mlp':
      return dense([inputSize(dataset), ...model.hidden, classes]);
    case 'binary-mlp': // hidden BinaryLinear layers without bias, each followed by a BatchNorm1d (γ, β)
      return dense([inputSize(dataset), ...model.hidden, classes]) + sum(model.hidden);
    case 'gru':
    case 'lstm':
      return (
        recurrentParameters(model.kind === 'gru' ? 3 : 4, SIDE, model.hidden, model.layers) +
        (model.hidden + 1) * classes
      );
    case 'vit': {
      const w = model.width;
      const tokens = (SIDE / model.patch) ** 2;
      const layer = 4 * w * w + 4 * w + 2 * w * model.mlpWidth + model.mlpWidth + w + 4 * w;
      return (model.patch ** 2 + 1) * w + tokens * w + model.depth * layer + 2 * w + (w + 1) * classes;
    }
    case 'spiking-cnn': {
      const c = model.channels;
      return 26 * c + (25 * c + 1) * 2 * c + (50 * c + 1) * classes;
    }
    case 'resnet': {
      const w = model.width;
      let total = 9 * w + 2 * w + (2 * w + 1) * classes;
      for (let b = 0; b < model.blocks; b++) total += blockParameters(w, w);
      for (let b = 0; b < model.blocks; b++) total += blockParameters(b === 0 ? w : 2 * w, 2 * w);
      return total;
    }
  }
}

/**
 * Fixed costs in multiply-add equivalents (at the wasm backend's ~5 GMAC/s on LeNet-5): about 50 ms
 * to start a run (data, model, first files) and 5 ms per epoch (evaluation, metrics, messages), which
 * dominate the small experiments' time.
 */
const RUN_OVERHEAD_MACS = 2.5e8;
const EPOCH_OVERHEAD_MACS = 2.5e7;

/**
 * A run's work in multiply-add equivalents (forward and backward ≈ 3 forward passes per example and
 * epoch, plus fixed costs per run and epoch): the weights the progress bar gives each run when it
 * estimates the time left for a suite, and the order in which runs start (largest first).
 */
export function runWork(settings: RunSettings): number {
  const training = 3 * forwardMacs(settings.model, settings.dataset) * trainExamples(settings.dataset);
  return RUN_OVERHEAD_MACS + (training + EPOCH_OVERHEAD_MACS) * settings.epochs;
}
