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

function forwardMacs(model: ModelSpec, dataset: DatasetSpec): number {
  if (model.kind === 'lenet5') return LENET5_MACS;
  if (model.kind === 'unit') return inputSize(dataset);
  const widths = [inputSize(dataset), ...model.hidden, CLASSES];
  return widths.slice(1).reduce((sum, w, i) => sum + widths[i]! * w, 0);
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
