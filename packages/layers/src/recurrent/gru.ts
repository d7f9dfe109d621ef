import { stack, zeros, type Tensor } from '@fbt/tensor';
import { checkCellInput, checkTensor } from './checks';
import { RecurrentModule } from './module';
import { RECURRENT_CELL_KEYS, type RecurrentCellOptions, type RecurrentOptions } from './options';
import { RecurrentSequence } from './sequence';
import { gruStep } from './steps';

/** What `GRU.run` returns. */
export interface GRUResult {
  /** The last layer's hidden state at every step: `[T, N, H]` (`[N, T, H]` with `batchFirst`). */
  readonly output: Tensor;
  /** Every layer's hidden state after the last step: `[numLayers, N, H]`. */
  readonly hN: Tensor;
}

/**
 * A multi-layer gated recurrent unit, PyTorch's `nn.GRU`: gate order r, z, n,
 * r = σ(W_ir x + b_ir + W_hr h + b_hr), z = σ(W_iz x + b_iz + W_hz h + b_hz),
 * n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)), h' = (1 − z) ⊙ n + z ⊙ h. Parameters
 * `weight_ih_l<l>` `[3H, in]` (in = inputSize for l = 0, else H), `weight_hh_l<l>` `[3H, H]`,
 * `bias_ih_l<l>` and `bias_hh_l<l>` `[3H]`, all U(±1/√H): PyTorch state dicts load unchanged.
 *
 * The σ's are the decoupled activation `gates` (named `'gru.gates'`, rule `rules.gates`), the tanh
 * is `candidate` (`'gru.candidate'`, rule `rules.candidate`); both default to tied.
 *
 * @example
 * const gru = new GRU(28, 64, { rng: new Rng(0), batchFirst: true, rules: { gates: 'constant' } });
 * const { output, hN } = gru.run(x); // x [N, 28, 28] → output [N, 28, 64], hN [1, N, 64]
 */
export class GRU extends RecurrentSequence {
  constructor(inputSize: number, hiddenSize: number, options: RecurrentOptions) {
    super(inputSize, hiddenSize, options, 'gru', 'GRU');
  }

  /** The output sequence from a zero initial state (see `run`). */
  override forward(x: Tensor): Tensor {
    return this.run(x).output;
  }

  /**
   * Runs the GRU over `x` (`[T, N, inputSize]`, or `[N, T, inputSize]` with `batchFirst`) from the
   * initial state `h0` `[numLayers, N, H]` (default zeros).
   */
  run(x: Tensor, h0?: Tensor): GRUResult {
    const dims = this.checkInput(x);
    if (h0 !== undefined) this.checkInitial(h0, 'h0', dims.batch);
    const { output, finals } = this.unroll(
      x,
      dims,
      (layer) => this.initialOf(h0, layer, dims.batch),
      (xt, h, weights) => gruStep(xt, h, weights, this),
      (h) => h,
    );
    return { output, hN: stack(finals, 0) };
  }
}

/**
 * One GRU step as a module, PyTorch's `nn.GRUCell`: the formulas of `GRU` for a single time step,
 * parameters `weight_ih` `[3H, in]`, `weight_hh` `[3H, H]`, `bias_ih`, `bias_hh` `[3H]`
 * (U(±1/√H)). Its activations carry the same names as `GRU`'s (`'gru.gates'`, `'gru.candidate'`).
 *
 * @example
 * const cell = new GRUCell(5, 8, { rng: new Rng(0) });
 * let h = zeros([N, 8]);
 * for (const x of steps) h = cell.step(x, h);
 */
export class GRUCell extends RecurrentModule {
  constructor(inputSize: number, hiddenSize: number, options: RecurrentCellOptions) {
    super(inputSize, hiddenSize, options, RECURRENT_CELL_KEYS, 'gru', 'GRUCell');
    this.registerGateWeights('', inputSize, options.rng);
  }

  /** The next hidden state `[N, H]` from the input `x` `[N, inputSize]` and the hidden state `h` `[N, H]`. */
  step(x: Tensor, h: Tensor): Tensor {
    const batch = checkCellInput(x, this.inputSize, 'GRUCell');
    checkTensor(h, [batch, this.hiddenSize], 'h', 'GRUCell', '[N, hiddenSize]');
    return gruStep(x, h, this.gateWeights(''), this);
  }

  /** The hidden state after one step from h = 0. */
  override forward(x: Tensor): Tensor {
    const batch = checkCellInput(x, this.inputSize, 'GRUCell');
    return this.step(x, zeros([batch, this.hiddenSize]));
  }
}
