import { ArgumentError, Tensor, checkOptions, type Rng } from '@fbt/tensor';
import { GradientError } from './errors';
import { GradNode, type NodeBackward } from './node';
import { anyRequiresGrad, attachNode, installTape, swapGradMode } from './tape';

/** What a custom backward receives. */
export interface CustomBackwardArgs<A> {
  /** Gradient of the loss with respect to the op's output (the output's shape). */
  readonly grad: Tensor;
  /** The op's inputs. */
  readonly inputs: readonly Tensor[];
  /** The op's output. */
  readonly output: Tensor;
  /** What the forward saved. */
  readonly saved: readonly Tensor[];
  /** The attrs of this call, as they were when the forward ran. */
  readonly attrs: A;
  /** The backward pass's generator (the tape's unless `backward` got another): same seed, same draws. */
  readonly rng: Rng;
}

/** An op with a forward and a backward supplied separately; the backward may be anything. */
export interface CustomOpSpec<A> {
  /** Name used in error messages. */
  name: string;
  /** Computes the output (not recorded on the tape) and optionally tensors to keep for the backward. */
  forward(inputs: readonly Tensor[], attrs: A): { output: Tensor; saved?: readonly Tensor[] };
  /** Returns one gradient per input (that input's shape), or null for an input that gets none. */
  backward(args: CustomBackwardArgs<A>): readonly (Tensor | null)[];
}

const NO_SAVED: readonly Tensor[] = Object.freeze([]);

function assertTensors(name: string, inputs: unknown): asserts inputs is readonly Tensor[] {
  let ok = Array.isArray(inputs);
  if (ok) for (const t of inputs as unknown[]) ok &&= t instanceof Tensor;
  if (!ok) throw new ArgumentError(`${name}: inputs must be an array of Tensors; got ${String(inputs)}`);
}

/**
 * Makes an op whose backward is not (necessarily) the derivative of its forward: the primitive for
 * surrogate gradients. Each call runs `forward` with recording suspended, so its internal kernels
 * cost no tape nodes, and, when grad is enabled and an input requires a gradient, records a single
 * node whose backward is `spec.backward` with this call's `attrs` (a rule chosen at forward time is
 * the one used at backward time).
 *
 * @example
 * // Heaviside forward, straight-through (identity) backward.
 * const heaviside = customOp<Record<string, never>>({
 *   name: 'heavisideSTE',
 *   forward: ([x]) => ({ output: step(x!) }),
 *   backward: ({ grad }) => [grad],
 * });
 * const y = heaviside([x], {});
 */
export function customOp<A>(spec: CustomOpSpec<A>): (inputs: readonly Tensor[], attrs: A) => Tensor {
  installTape();
  if (spec === null || typeof spec !== 'object' || typeof spec.name !== 'string' || spec.name.length === 0) {
    throw new ArgumentError('customOp: expected a spec { name: non-empty string, forward, backward }');
  }
  checkOptions(spec, { name: true, forward: true, backward: true }, `customOp('${spec.name}')`);
  if (typeof spec.forward !== 'function' || typeof spec.backward !== 'function') {
    throw new ArgumentError(`customOp('${spec.name}'): forward and backward must be functions`);
  }
  const rule: NodeBackward = {
    run(node, grad, rng) {
      return spec.backward({
        grad,
        inputs: node.inputs,
        output: node.outputs[0]!,
        saved: node.saved,
        attrs: node.attrs as A,
        rng,
      });
    },
  };
  return (inputs, attrs) => {
    assertTensors(spec.name, inputs);
    const wasEnabled = swapGradMode(false);
    let result: ReturnType<CustomOpSpec<A>['forward']>;
    try {
      result = spec.forward(inputs, attrs);
    } finally {
      swapGradMode(wasEnabled);
    }
    const { output, saved } = result;
    if (!(output instanceof Tensor)) {
      throw new GradientError(`${spec.name}: forward returned output ${String(output)}; expected a Tensor`);
    }
    if (inputs.includes(output)) {
      throw new GradientError(
        `${spec.name}: forward returned one of its inputs as the output; expected a new tensor`,
      );
    }
    if (wasEnabled && anyRequiresGrad(inputs)) {
      attachNode(new GradNode(spec.name, inputs, attrs, [output], saved ?? NO_SAVED, rule));
    }
    return output;
  };
}
