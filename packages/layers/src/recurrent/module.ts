import { ArgumentError, Rng, checkOptions, type OptionKeys } from '@fbt/tensor';
import { activation, type ActivationFn } from '@fbt/surrogates';
import { Module } from '../module';
import { uniformInit } from '../init';
import { assertOptionalBoolean, assertPositiveInt } from '../layers/checks';
import { RECURRENT_RULE_KEYS, type RecurrentCellOptions } from './options';
import type { GateWeights, RecurrentActivations } from './steps';

/** The two recurrent architectures: GRU (3 gate blocks: r, z, n) and LSTM (4: i, f, g, o). */
export type RecurrentKind = 'gru' | 'lstm';

const GATE_BLOCKS: Readonly<Record<RecurrentKind, number>> = { gru: 3, lstm: 4 };

/**
 * Base of `GRU`, `LSTM`, `GRUCell` and `LSTMCell`: checks the shared options, builds the two
 * decoupled nonlinearities and registers PyTorch's weights.
 *
 * The nonlinearities are named `'<kind>.gates'` (the logistic σ of the gates) and
 * `'<kind>.candidate'` (the tanh's), `<kind>` being `gru` or `lstm` for the sequence layers and
 * their cells alike, so `withRule(rule, fn, 'gru.gates')` swaps the gates' rule of every GRU inside `fn`.
 */
export abstract class RecurrentModule extends Module implements RecurrentActivations {
  /** Number of input features. */
  readonly inputSize: number;
  /** Number of hidden units H. */
  readonly hiddenSize: number;
  /** The architecture: `'gru'` or `'lstm'`. */
  readonly kind: RecurrentKind;
  /** Whether the layer has the biases `bias_ih*` and `bias_hh*`. */
  readonly bias: boolean;
  /** The gates' logistic σ with `rules.gates`, named `'gru.gates'` or `'lstm.gates'`. */
  readonly gates: ActivationFn;
  /** The tanh's with `rules.candidate`, named `'gru.candidate'` or `'lstm.candidate'`. */
  readonly candidate: ActivationFn;

  /**
   * Checks `options` against `keys`, the sizes and the rules (each failure one line naming `op`);
   * registers no weight yet (see `registerGateWeights`).
   */
  protected constructor(
    inputSize: number,
    hiddenSize: number,
    options: RecurrentCellOptions,
    keys: OptionKeys<RecurrentCellOptions>,
    kind: RecurrentKind,
    op: string,
  ) {
    super();
    checkOptions(options, keys, op);
    if (options === undefined || !(options.rng instanceof Rng))
      throw new ArgumentError(`${op}: options.rng is ${String(options?.rng)}; expected an Rng`);
    assertPositiveInt(inputSize, 'inputSize', op);
    assertPositiveInt(hiddenSize, 'hiddenSize', op);
    assertOptionalBoolean(options.bias, 'bias', op);
    checkOptions(options.rules, RECURRENT_RULE_KEYS, `${op} rules`);
    const rules = options.rules ?? {};
    this.gates = activation('logistic', rules.gates, undefined, { name: `${kind}.gates` });
    this.candidate = activation('tanh', rules.candidate, undefined, { name: `${kind}.candidate` });
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.kind = kind;
    this.bias = options.bias !== false;
  }

  /**
   * Registers `weight_ih<suffix>` `[G·H, inFeatures]`, `weight_hh<suffix>` `[G·H, H]` and, with
   * biases, `bias_ih<suffix>` and `bias_hh<suffix>` `[G·H]` (G = 3 for GRU, 4 for LSTM), in
   * PyTorch's order, each drawn from U(±1/√H) by `rng`.
   */
  protected registerGateWeights(suffix: string, inFeatures: number, rng: Rng): void {
    const rows = GATE_BLOCKS[this.kind] * this.hiddenSize;
    const bound = 1 / Math.sqrt(this.hiddenSize);
    this.registerParameter(`weight_ih${suffix}`, uniformInit([rows, inFeatures], bound, rng));
    this.registerParameter(`weight_hh${suffix}`, uniformInit([rows, this.hiddenSize], bound, rng));
    if (this.bias) {
      this.registerParameter(`bias_ih${suffix}`, uniformInit([rows], bound, rng));
      this.registerParameter(`bias_hh${suffix}`, uniformInit([rows], bound, rng));
    }
  }

  /** The weights registered by `registerGateWeights(suffix)` (read at each call, so `callWith` works). */
  protected gateWeights(suffix: string): GateWeights {
    return {
      weightIh: this.param(`weight_ih${suffix}`),
      weightHh: this.param(`weight_hh${suffix}`),
      biasIh: this.optionalParam(`bias_ih${suffix}`),
      biasHh: this.optionalParam(`bias_hh${suffix}`),
    };
  }
}
