import { noGrad } from '@fbt/autograd';
import {
  ArgumentError,
  ShapeError,
  Tensor,
  add,
  checkOptions,
  concat,
  clamp,
  formatShape,
  mul,
  reshape,
  scalar,
  shapesEqual,
  step,
  sub,
  zeros,
  type OptionKeys,
  type Shape,
} from '@fbt/tensor';
import { activation, type ActivationFn, type Params, type RuleLike } from '@fbt/surrogates';
import { Module } from '../module';
import { timeSteps } from './time-steps';

/** How the membrane is reset after a spike (snnTorch's `reset_mechanism`). */
export type ResetMechanism = 'subtract' | 'zero' | 'none';

const RESET_MECHANISMS: readonly ResetMechanism[] = ['subtract', 'zero', 'none'];

/** Options of `Leaky` (snnTorch's `snn.Leaky` arguments, camel-cased). */
export interface LeakyOptions {
  /** Membrane decay per step β, in [0, 1] (clamped to [0, 1] in the forward when learnable). */
  readonly beta: number;
  /** Firing threshold, finite and > 0 (default 1). */
  readonly threshold?: number;
  /**
   * `subtract` (default): the threshold is subtracted from the membrane after a spike; `zero`: the
   * membrane is set to zero before the next integration; `none`: no reset.
   */
  readonly resetMechanism?: ResetMechanism;
  /**
   * The backward rule of the spike, any rule or SNN surrogate of @fbt/surrogates (default `atan`,
   * whose α = 2 default is snnTorch's `surrogate.atan(alpha=2.0)`; `fastSigmoid` with k = 25 is
   * snnTorch's `fast_sigmoid(slope=25)`). `tied` gives an exactly zero gradient (H′ = 0).
   */
  readonly spikeGrad?: RuleLike;
  /** Parameters of `spikeGrad`, e.g. `{ alpha: 4 }` for `atan` (default: the rule's own). */
  readonly spikeGradParams?: Params;
  /** Makes β a trained parameter named `beta` (default false: a buffer of that name). */
  readonly learnBeta?: boolean;
  /** Makes the threshold a trained parameter named `threshold` (default false: a buffer). */
  readonly learnThreshold?: boolean;
  /** Name of the spike activation for `withRule` selectors (default `heaviside`). */
  readonly name?: string;
}

const LEAKY_KEYS: OptionKeys<LeakyOptions> = {
  beta: true,
  threshold: true,
  resetMechanism: true,
  spikeGrad: true,
  spikeGradParams: true,
  learnBeta: true,
  learnThreshold: true,
  name: true,
};

/** One time step of a `Leaky` neuron: the spikes and the new membrane potential. */
export interface LeakyStep {
  /** Spikes, 0 or 1, the input's shape. */
  readonly spk: Tensor;
  /** Membrane potential after the step, the input's shape. */
  readonly mem: Tensor;
}

/** A `Leaky` neuron unrolled over time: spikes and membranes of every step. */
export interface LeakyRun {
  /** Spikes `[T, ...]`. */
  readonly spikes: Tensor;
  /** Membrane potentials after each step, `[T, ...]`. */
  readonly mems: Tensor;
}

function assertBoolean(value: unknown, name: string): void {
  if (value !== undefined && typeof value !== 'boolean') {
    throw new ArgumentError(`Leaky: ${name}=${String(value)}; expected true or false`);
  }
}

/**
 * A first-order leaky integrate-and-fire neuron, snnTorch's `snn.Leaky` (0.9): per step
 *
 *   mem′ = β·mem + input − R·threshold        (`subtract`)
 *   mem′ = β·(1 − R)·mem + input              (`zero`)
 *   mem′ = β·mem + input                      (`none`)
 *   spk  = H(mem′ − threshold)
 *
 * where R = H(mem − threshold) is computed from the previous membrane and detached (no gradient
 * flows through the reset: snnTorch's default `reset_delay=True` with its detached `mem_reset`).
 * The spike is a decoupled activation (@fbt/surrogates' `activation('heaviside', spikeGrad)`)
 * applied to mem′ − threshold: the forward is the step function, the backward is `spikeGrad`'s ψ.
 *
 * Conventions: fbt's H(0) = 1, so a neuron fires when mem′ ≥ threshold, where snnTorch fires on
 * mem′ > threshold; the two differ only at exact equality. β and the threshold are scalars; each is
 * a parameter when learnable and a buffer otherwise, under snnTorch's state-dict names `beta` and
 * `threshold` (rank 0). snnTorch's other buffers (`graded_spikes_factor`, `reset_mechanism_val`,
 * `mem`) have no counterpart: load its state dicts with `strict = false`.
 *
 * Backpropagation through time is the tape walking back through the unrolled steps; the detached
 * reset costs no tape node. Memory of `run`/`forward` over `[T, ...S]` (n = |S| elements per step,
 * measured on the tape in the tests): per step the tape holds the step's input slice, the spikes,
 * mem′ − threshold (which the spike's rule reads) and the arithmetic's intermediates, 7 tensors of
 * n floats with `subtract` (β·mem, the pre-reset sum, reset·threshold, mem′), 5 with `none`, 7 with
 * `zero`, one more with a learnable threshold. With the input `[T, ...S]`, its copy in blocks (see
 * below) and the output spikes `[T, ...S]`, that is 10·T·n floats (40·T·n bytes) for `subtract`,
 * 8·T·n for `none` and 10·T·n for `zero`, held until `backward` frees the tape; `run` also returns
 * the membranes (T·n more). An input that requires a gradient is cut into steps through blocks of
 * ⌈√T⌉ steps (T ≥ 9), so the backward of the slicing costs about 2·T^1.5·n floats of work instead
 * of T²·n.
 *
 * @example
 * const lif = new Leaky({ beta: 0.9, spikeGrad: 'fastSigmoid' });
 * const spikes = lif.forward(currents); // currents [T, N, F] → spikes [T, N, F]
 */
export class Leaky extends Module {
  /** The reset mechanism. */
  readonly resetMechanism: ResetMechanism;
  /** The spike: Heaviside forward, `spikeGrad` backward. */
  readonly spike: ActivationFn;
  /** Whether β is a trained parameter. */
  readonly learnBeta: boolean;
  /** Whether the threshold is a trained parameter. */
  readonly learnThreshold: boolean;
  private readonly betaBuffer: Tensor | null;
  private readonly thresholdBuffer: Tensor | null;

  constructor(options: LeakyOptions) {
    super();
    checkOptions(options, LEAKY_KEYS, 'Leaky');
    if (options === undefined) throw new ArgumentError('Leaky: missing options; expected { beta, ... }');
    const {
      beta,
      threshold = 1,
      resetMechanism = 'subtract',
      learnBeta = false,
      learnThreshold = false,
    } = options;
    if (typeof beta !== 'number' || !(beta >= 0 && beta <= 1)) {
      throw new ArgumentError(`Leaky: beta=${String(beta)}; expected a number in [0, 1]`);
    }
    if (typeof threshold !== 'number' || !(threshold > 0 && threshold < Infinity)) {
      throw new ArgumentError(`Leaky: threshold=${String(threshold)}; expected a finite number > 0`);
    }
    if (!RESET_MECHANISMS.includes(resetMechanism)) {
      throw new ArgumentError(
        `Leaky: resetMechanism=${String(resetMechanism)}; expected one of ${RESET_MECHANISMS.join(', ')}`,
      );
    }
    assertBoolean(learnBeta, 'learnBeta');
    assertBoolean(learnThreshold, 'learnThreshold');
    this.resetMechanism = resetMechanism;
    this.spike = activation(
      'heaviside',
      options.spikeGrad ?? 'atan',
      options.spikeGradParams === undefined ? undefined : { backward: options.spikeGradParams },
      options.name === undefined ? {} : { name: options.name },
    );
    this.learnBeta = learnBeta;
    this.learnThreshold = learnThreshold;
    this.betaBuffer = this.registerState('beta', beta, learnBeta);
    this.thresholdBuffer = this.registerState('threshold', threshold, learnThreshold);
  }

  private registerState(name: string, value: number, learnable: boolean): Tensor | null {
    if (learnable) {
      this.registerParameter(name, scalar(value));
      return null;
    }
    return this.registerBuffer(name, scalar(value));
  }

  /** β (rank 0): the parameter or buffer named `beta`. */
  get beta(): Tensor {
    return this.betaBuffer ?? this.param('beta');
  }

  /** The threshold (rank 0): the parameter or buffer named `threshold`. */
  get threshold(): Tensor {
    return this.thresholdBuffer ?? this.param('threshold');
  }

  /** A zero membrane of the given shape (or of a tensor's shape): the state before the first step. */
  initMem(shapeLike: Shape | Tensor): Tensor {
    return zeros(shapeLike instanceof Tensor ? shapeLike.shape : shapeLike);
  }

  /**
   * One time step: integrates `input` into `mem` (same shapes) and fires. Returns the spikes and
   * the new membrane; pass the membrane to the next step.
   */
  step(input: Tensor, mem: Tensor): LeakyStep {
    if (!(input instanceof Tensor) || !(mem instanceof Tensor)) {
      throw new ArgumentError('Leaky.step: expected (input: Tensor, mem: Tensor)');
    }
    if (!shapesEqual(input.shape, mem.shape)) {
      throw new ShapeError(
        `Leaky.step: mem of shape ${formatShape(mem.shape)} for input of shape ${formatShape(input.shape)}; expected the input's shape`,
      );
    }
    return this.advance(input, mem, clamp(this.beta, 0, 1));
  }

  /** The step's arithmetic, with β already clamped (`run` clamps it once for all steps). */
  private advance(input: Tensor, mem: Tensor, beta: Tensor): LeakyStep {
    const threshold = this.threshold;
    const reset = noGrad(() => step(sub(mem, threshold)));
    let next: Tensor;
    if (this.resetMechanism === 'zero') {
      next = add(mul(beta, mul(sub(1, reset), mem)), input);
    } else {
      next = add(mul(beta, mem), input);
      if (this.resetMechanism === 'subtract') next = sub(next, mul(reset, threshold));
    }
    return { spk: this.spike(sub(next, threshold)), mem: next };
  }

  /**
   * Unrolls the neuron over the first axis of `x` (`[T, ...]`, T ≥ 1) from `mem0` (default zeros,
   * shape `x.shape.slice(1)`); returns the spikes and membranes of every step, `[T, ...]` each.
   */
  run(x: Tensor, mem0?: Tensor): LeakyRun {
    const { spikes, mems } = this.unroll(x, mem0, true);
    return { spikes, mems: mems! };
  }

  /** The spikes `[T, ...]` of `run(x)` from a zero membrane. */
  override forward(x: Tensor): Tensor {
    return this.unroll(x, undefined, false).spikes;
  }

  /**
   * The loop of `run`: each step works on `[1, ...S]` slices of `x` (no reshape copies) and the
   * steps are concatenated along the time axis; membranes only when `keepMems`.
   */
  private unroll(
    x: Tensor,
    mem0: Tensor | undefined,
    keepMems: boolean,
  ): { spikes: Tensor; mems: Tensor | null } {
    if (!(x instanceof Tensor) || x.rank < 1 || x.shape[0] === 0) {
      throw new ShapeError(
        `Leaky.run: input ${x instanceof Tensor ? `of shape ${formatShape(x.shape)}` : String(x)}; expected a tensor [T, ...] with T >= 1`,
      );
    }
    const shape = x.shape.slice(1);
    if (mem0 !== undefined && !(mem0 instanceof Tensor && shapesEqual(mem0.shape, shape))) {
      throw new ShapeError(
        `Leaky.run: mem0 ${mem0 instanceof Tensor ? `of shape ${formatShape(mem0.shape)}` : String(mem0)} for input of shape ${formatShape(x.shape)}; expected ${formatShape(shape)}`,
      );
    }
    const one = [1, ...shape];
    const beta = clamp(this.beta, 0, 1);
    let mem = mem0 === undefined ? zeros(one) : reshape(mem0, one);
    const spikes: Tensor[] = [];
    const mems: Tensor[] = [];
    for (const input of timeSteps(x)) {
      const out = this.advance(input, mem, beta);
      spikes.push(out.spk);
      if (keepMems) mems.push(out.mem);
      mem = out.mem;
    }
    return { spikes: concat(spikes, 0), mems: keepMems ? concat(mems, 0) : null };
  }
}
