import { ArgumentError, stack, zeros, type Tensor } from '@fbt/tensor';
import { checkCellInput, checkTensor } from './checks';
import { RecurrentModule } from './module';
import { RECURRENT_CELL_KEYS, type RecurrentCellOptions, type RecurrentOptions } from './options';
import { RecurrentSequence } from './sequence';
import { lstmStep, type LSTMState } from './steps';

/** The initial state of `LSTM.run`: hidden and cell state, each `[numLayers, N, H]`. */
export interface LSTMInitialState {
  /** Initial hidden state of every layer. */
  readonly h0: Tensor;
  /** Initial cell state of every layer. */
  readonly c0: Tensor;
}

/** What `LSTM.run` returns. */
export interface LSTMResult {
  /** The last layer's hidden state at every step: `[T, N, H]` (`[N, T, H]` with `batchFirst`). */
  readonly output: Tensor;
  /** Every layer's hidden state after the last step: `[numLayers, N, H]`. */
  readonly hN: Tensor;
  /** Every layer's cell state after the last step: `[numLayers, N, H]`. */
  readonly cN: Tensor;
}

/**
 * A multi-layer long short-term memory, PyTorch's `nn.LSTM`: gate order i, f, g, o; with
 * a = W_ih x + b_ih + W_hh h + b_hh, i = σ(a_i), f = σ(a_f), g = tanh(a_g), o = σ(a_o),
 * c' = f ⊙ c + i ⊙ g, h' = o ⊙ tanh(c'). Parameters `weight_ih_l<l>` `[4H, in]`,
 * `weight_hh_l<l>` `[4H, H]`, `bias_ih_l<l>` and `bias_hh_l<l>` `[4H]`, all U(±1/√H).
 *
 * The σ's are the decoupled activation `gates` (`'lstm.gates'`, rule `rules.gates`); both tanh's
 * (of g and of c') are `candidate` (`'lstm.candidate'`, rule `rules.candidate`); both default to tied.
 *
 * @example
 * const lstm = new LSTM(28, 64, { rng: new Rng(0), numLayers: 2, rules: { candidate: 'rectangular' } });
 * const { output, hN, cN } = lstm.run(x); // x [T, N, 28] → output [T, N, 64], hN and cN [2, N, 64]
 */
export class LSTM extends RecurrentSequence {
  constructor(inputSize: number, hiddenSize: number, options: RecurrentOptions) {
    super(inputSize, hiddenSize, options, 'lstm', 'LSTM');
  }

  /** The output sequence from a zero initial state (see `run`). */
  override forward(x: Tensor): Tensor {
    return this.run(x).output;
  }

  /**
   * Runs the LSTM over `x` (`[T, N, inputSize]`, or `[N, T, inputSize]` with `batchFirst`) from
   * `state` (`h0` and `c0`, each `[numLayers, N, H]`; default zeros).
   */
  run(x: Tensor, state?: LSTMInitialState): LSTMResult {
    const dims = this.checkInput(x);
    if (state !== undefined) {
      if (typeof state !== 'object' || state === null)
        throw new ArgumentError(`LSTM: state is ${String(state)}; expected { h0, c0 }`);
      this.checkInitial(state.h0, 'h0', dims.batch);
      this.checkInitial(state.c0, 'c0', dims.batch);
    }
    const { output, finals } = this.unroll<LSTMState>(
      x,
      dims,
      (layer) => ({
        h: this.initialOf(state?.h0, layer, dims.batch),
        c: this.initialOf(state?.c0, layer, dims.batch),
      }),
      (xt, s, weights) => lstmStep(xt, s, weights, this),
      (s) => s.h,
    );
    return {
      output,
      hN: stack(
        finals.map((s) => s.h),
        0,
      ),
      cN: stack(
        finals.map((s) => s.c),
        0,
      ),
    };
  }
}

/**
 * One LSTM step as a module, PyTorch's `nn.LSTMCell`: the formulas of `LSTM` for a single time
 * step, parameters `weight_ih` `[4H, in]`, `weight_hh` `[4H, H]`, `bias_ih`, `bias_hh` `[4H]`
 * (U(±1/√H)). Its activations carry the same names as `LSTM`'s (`'lstm.gates'`, `'lstm.candidate'`).
 *
 * @example
 * const cell = new LSTMCell(5, 8, { rng: new Rng(0) });
 * let state = { h: zeros([N, 8]), c: zeros([N, 8]) };
 * for (const x of steps) state = cell.step(x, state);
 */
export class LSTMCell extends RecurrentModule {
  constructor(inputSize: number, hiddenSize: number, options: RecurrentCellOptions) {
    super(inputSize, hiddenSize, options, RECURRENT_CELL_KEYS, 'lstm', 'LSTMCell');
    this.registerGateWeights('', inputSize, options.rng);
  }

  /** The next hidden and cell state (each `[N, H]`) from `x` `[N, inputSize]` and `state` (`h`, `c`, each `[N, H]`). */
  step(x: Tensor, state: LSTMState): LSTMState {
    const batch = checkCellInput(x, this.inputSize, 'LSTMCell');
    if (typeof state !== 'object' || state === null)
      throw new ArgumentError(`LSTMCell: state is ${String(state)}; expected { h, c }`);
    checkTensor(state.h, [batch, this.hiddenSize], 'h', 'LSTMCell', '[N, hiddenSize]');
    checkTensor(state.c, [batch, this.hiddenSize], 'c', 'LSTMCell', '[N, hiddenSize]');
    return lstmStep(x, state, this.gateWeights(''), this);
  }

  /** The hidden state `h` after one step from h = c = 0. */
  override forward(x: Tensor): Tensor {
    const batch = checkCellInput(x, this.inputSize, 'LSTMCell');
    return this.step(x, { h: zeros([batch, this.hiddenSize]), c: zeros([batch, this.hiddenSize]) }).h;
  }
}
