import type { OptionKeys } from '@fbt/tensor';
import type { Conv2dLayerOptions } from './conv';
import type { WeightedLayerOptions } from './weighted';

/** The keys of `WeightedLayerOptions` (`Linear`), for `checkOptions`. */
export const WEIGHTED_LAYER_KEYS: OptionKeys<WeightedLayerOptions> = {
  bias: true,
  rng: true,
  weightInit: true,
};

/** The keys of `Conv2dLayerOptions`, for `checkOptions`. */
export const CONV2D_LAYER_KEYS: OptionKeys<Conv2dLayerOptions> = {
  ...WEIGHTED_LAYER_KEYS,
  stride: true,
  padding: true,
};
