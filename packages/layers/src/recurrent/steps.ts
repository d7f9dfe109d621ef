import { add, matmul, mul, slice, sub, type Tensor } from '@fbt/tensor';
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
  readonly weightIh: Tensor;
  readonly weightHh: Tensor;
  readonly biasIh: Tensor | null;
  readonly biasHh: Tensor | null;
}

/** `x·Wᵀ + b` for `x` `[M, in]` and `W` `[out, in]`: the projection of inputs or hidden states onto the gates. */
export function affine(x: Tensor, weight: Tensor, bias: Tensor | null): Tensor {
  const y = matmul(x, weight, { transposeB: true });
  return bias === null ? y : add(y, bias);
}

/** Columns `start .. start + width − 1` of a `[N, C]` matrix. */
function columns(t: Tensor, start: number, width: number): Tensor {
  return slice(t, [0, start], [t.shape[0]!, width]);
}

/**
 * One GRU step, PyTorch's formulas and gate order (r, z, n):
 * r = σ(W_ir x + b_ir + W_hr h + b_hr), z = σ(W_iz x + b_iz + W_hz h + b_hz),
 * n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)), h' = (1 − z) ⊙ n + z ⊙ h, evaluated as
 * n + z ⊙ (h − n) as PyTorch's kernel does. `gi` is the input projection `[N, 3H]` (biases included).
 */
export function gruStep(gi: Tensor, h: Tensor, w: GateWeights, acts: RecurrentActivations): Tensor {
  const size = h.shape[1]!;
  const gh = affine(h, w.weightHh, w.biasHh);
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
 * Both tanh's are the candidate activation. `gi` is the input projection `[N, 4H]` (bias included).
 */
export function lstmStep(
  gi: Tensor,
  state: LSTMState,
  w: GateWeights,
  acts: RecurrentActivations,
): LSTMState {
  const size = state.h.shape[1]!;
  const a = add(gi, affine(state.h, w.weightHh, w.biasHh));
  const iff = acts.gates(columns(a, 0, 2 * size));
  const g = acts.candidate(columns(a, 2 * size, size));
  const o = acts.gates(columns(a, 3 * size, size));
  const c = add(mul(columns(iff, size, size), state.c), mul(columns(iff, 0, size), g));
  return { h: mul(o, acts.candidate(c)), c };
}
