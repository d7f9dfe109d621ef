import type { OptionKeys, Rng } from '@fbt/tensor';
import type { RuleLike } from '@fbt/surrogates';

/**
 * The backward rules of a recurrent layer's nonlinearities, each a rule name or a `rule(...)`
 * object from @fbt/surrogates (default `'tied'`, ordinary backprop, for both).
 */
export interface RecurrentRules {
  /** Rule of the gates' logistic σ (GRU: r and z; LSTM: i, f and o). */
  readonly gates?: RuleLike;
  /** Rule of the tanh's (GRU: the candidate n; LSTM: the candidate g and the tanh of the cell state c). */
  readonly candidate?: RuleLike;
}

/** Options of `GRUCell` and `LSTMCell`. */
export interface RecurrentCellOptions {
  /** Generator of the initial weights and biases, all drawn from U(±1/√hiddenSize) as in PyTorch. */
  readonly rng: Rng;
  /** Learn the biases `bias_ih` and `bias_hh` (default true). */
  readonly bias?: boolean;
  /** Backward rules of the gate and candidate nonlinearities (default tied for both). */
  readonly rules?: RecurrentRules;
}

/** Options of `GRU` and `LSTM`. */
export interface RecurrentOptions extends RecurrentCellOptions {
  /** Number of stacked layers; layer l > 0 reads the hidden sequence of layer l − 1 (default 1). */
  readonly numLayers?: number;
  /** Input and output are `[N, T, features]` instead of `[T, N, features]` (default false, as in PyTorch). */
  readonly batchFirst?: boolean;
}

/** The keys of `RecurrentCellOptions`, for `checkOptions`. */
export const RECURRENT_CELL_KEYS: OptionKeys<RecurrentCellOptions> = { rng: true, bias: true, rules: true };

/** The keys of `RecurrentOptions`, for `checkOptions`. */
export const RECURRENT_KEYS: OptionKeys<RecurrentOptions> = {
  ...RECURRENT_CELL_KEYS,
  numLayers: true,
  batchFirst: true,
};

/** The keys of `RecurrentRules`, for `checkOptions`. */
export const RECURRENT_RULE_KEYS: OptionKeys<RecurrentRules> = { gates: true, candidate: true };
