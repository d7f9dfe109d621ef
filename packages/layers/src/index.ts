/**
 * @fbt/layers: modules, layers, losses, optimizers, metrics, a training loop (`fit`) and weight I/O
 * (safetensors, JSON) for fbt. Node file helpers live in `@fbt/layers/node`, so this entry stays
 * browser-safe.
 * @packageDocumentation
 */
export * from './module';
export * from './init';
export * from './layers/weighted';
export * from './layers/linear';
export * from './layers/conv';
export * from './layers/pool';
export * from './layers/flatten';
export * from './layers/activation';
export * from './layers/dropout';
export * from './layers/batchnorm';
export * from './layers/sequential';
export * from './layers/embedding';
export * from './layers/layernorm';
export * from './layers/residual';
export * from './attention/multihead';
export * from './attention/transformer';
export * from './layers/binary';
export * from './recurrent';
export type { Size2 } from './layers/checks';
export * from './spiking';
export * from './losses';
export * from './optim/optimizer';
export * from './optim/sgd';
export * from './optim/adam';
export * from './optim/schedulers';
export * from './optim/clip';
export * from './metrics';
export { fit, fitEpochs, type FitEpoch, type FitOptions, type FitStep } from './training/fit';
export {
  evaluate,
  type EvaluateOptions,
  type Evaluation,
  type LabelledBatch,
  type LossFn,
  type MetricFn,
} from './training/evaluate';
export * from './io/safetensors';
export * from './io/json';
export type { StateSource } from './io/state-source';
export * from './layers/packed';
