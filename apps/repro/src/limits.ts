/**
 * Upper bounds on every number a user can give `fbt-repro run` (flags and config fields), so that a
 * typo such as `--epochs 99999999999999999999` or `"epochs": 1e308` is refused before any work
 * instead of running for ever or failing to allocate.
 */
export const LIMITS = {
  /** Epochs of a run. */
  epochs: 10_000,
  /** Examples per batch. */
  batchSize: 1_000_000,
  /** SGD learning rate. */
  lr: 1_000,
  /** Seeds are reduced to 32 bits by the generators: larger ones would repeat smaller ones. */
  seed: 2 ** 32 - 1,
  /** Seeds of one experiment. */
  seeds: 1_000,
  /** Worker threads, and jobs a queue worker trains at once. */
  workers: 1_024,
  /** Tries per queued run. */
  attempts: 100,
  /** Queue timings (`--lock-ms`, `--stalled-ms`): one day. */
  milliseconds: 86_400_000,
  /** Width of one hidden layer. */
  width: 1_000_000,
  /** Hidden layers of one model. */
  layers: 100,
  /** Hidden size of a recurrent layer. */
  recurrentWidth: 4_096,
  /** Stacked recurrent layers. */
  recurrentLayers: 16,
  /** Width of a transformer's tokens and of its MLP blocks. */
  tokenWidth: 4_096,
  /** Attention heads. */
  heads: 64,
  /** Time steps of a spiking network. */
  timeSteps: 1_000,
  /** Channels of a convolution. */
  channels: 1_024,
  /** Elements of one weight matrix, or of the Ones data set (n × d). */
  elements: 2 ** 30,
  /** |value| of a rule parameter. */
  ruleParam: 1_000_000,
  /** Entries of the forward and rule lists (the grid is their product). */
  gridAxis: 100,
  /** Input dimension of the Ones data set. */
  onesD: 1_000_000,
  /** Examples of the Ones data set. */
  onesN: 10_000_000,
  /** Training images of MNIST and Fashion-MNIST. */
  imageTrain: 60_000,
  /** Test images of MNIST and Fashion-MNIST. */
  imageTest: 10_000,
  /** Characters of an experiment name. */
  name: 100,
  /** Characters of an experiment description. */
  description: 1_000,
  /** Levels of nesting of a config's JSON (a real config needs 4). */
  jsonDepth: 16,
} as const;
