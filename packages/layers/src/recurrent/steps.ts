import { add, mul, slice, sub, type Tensor } from '@fbt/tensor';
import { linear } from '../layers/linear-product';
import type { ActivationFn } from '@fbt/surrogates';

/** The two decoupled nonlinearities of a recurrent layer. */
export interface RecurrentActivations {
  /** The gates' logistic σ with its rule. */
  readonly gates: ActivationFn;
  /** The candidate's tanh with its rule. */
  readonly candidate: ActivationFn;
}

/** The weights of one layer (or cell): `[G·H, in]`, `[G·H, H]` and the optional `[G·H]` biases. */
export interface GateWeights {
  /** `weight_ih*`: input to gates, `[G·H, in]`. */
  readonly weightIh: Tensor;
  /** `weight_hh*`: hidden state to gates, `[G·H, H]`. */
  readonly weightHh: Tensor;
  /** `bias_ih*` `[G·H]`, or null without biases. */
  readonly biasIh: Tensor | null;
  /** `bias_hh*` `[G·H]`, or null without biases. */
  readonly biasHh: Tensor | null;
}

/** Columns `start .. start + width − 1` of a `[N, C]` matrix. */
function columns(t: Tensor, start: number, width: number): Tensor {
  return slice(t, [0, start], [t.shape[0]!, width]);
}

/**
 * One GRU step, PyTorch's formulas and gate order (r, z, n):
 * r = σ(W_ir x + b_ir + W_hr h + b_hr), z = σ(W_iz x + b_iz + W_hz h + b_hz),
 * n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)), h' = (1 − z) ⊙ n + z ⊙ h, evaluated as
 * n + z ⊙ (h − n) as PyTorch's kernel does. `x` is `[N, in]`, `h` `[N, H]`.
 */
export function gruStep(x: Tensor, h: Tensor, w: GateWeights, acts: RecurrentActivations): Tensor {
  const size = h.shape[1]!;
  const gi = linear(x, w.weightIh, w.biasIh);
  const gh = linear(h, w.weightHh, w.biasHh);
  const rz = acts.gates(columns(add(gi, gh), 0, 2 * size));
  const r = columns(rz, 0, size);
  const z = columns(rz, size, size);
  const n = acts.candidate(add(columns(gi, 2 * size, size), mul(r, columns(gh, 2 * size, size))));
  return add(n, mul(z, sub(h, n)));
}

/** The hidden and cell state of an LSTM, each `[N, H]`. */
export interface LSTMState {
  /** Hidden state (the output). */
  readonly h: Tensor;
  /** Cell state. */
  readonly c: Tensor;
}

/**
 * One LSTM step, PyTorch's formulas and gate order (i, f, g, o): with a = W_ih x + b_ih + W_hh h + b_hh,
 * i = σ(a_i), f = σ(a_f), g = tanh(a_g), o = σ(a_o), c' = f ⊙ c + i ⊙ g, h' = o ⊙ tanh(c').
 * Both tanh's are the candidate activation. `x` is `[N, in]`, `h` and `c` `[N, H]`.
 */
export function lstmStep(x: Tensor, state: LSTMState, w: GateWeights, acts: RecurrentActivations): LSTMState {
  const size = state.h.shape[1]!;
  const a = add(linear(x, w.weightIh, w.biasIh), linear(state.h, w.weightHh, w.biasHh));
  const iff = acts.gates(columns(a, 0, 2 * size));
  const g = acts.candidate(columns(a, 2 * size, size));
  const o = acts.gates(columns(a, 3 * size, size));
  const c = add(mul(columns(iff, size, size), state.c), mul(columns(iff, 0, size), g));
  return { h: mul(o, acts.candidate(c)), c };
}
