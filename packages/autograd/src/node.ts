import type { Rng, Tensor } from '@fbt/tensor';
import { tapeState } from './state';

/** How a recorded node turns the gradient of its output into gradients of its inputs. */
export interface NodeBackward {
  /** Returns one gradient (or null) per input of `node`. */
  run(node: GradNode, dy: Tensor, rng: Rng): readonly (Tensor | null)[];
}

/**
 * One recorded op on the tape: a kernel call, or a `customOp` call. Attached as `gradNode` to each
 * output. `backward` frees it (drops its inputs and saved tensors) unless asked to retain it.
 */
export class GradNode {
  /** Creation order; a node's inputs come from nodes with smaller ids. */
  readonly id: number;
  private inputList: readonly Tensor[] | null;
  private savedList: readonly Tensor[] | null;

  constructor(
    /** Kernel or custom op name, used in error messages. */
    readonly name: string,
    inputs: readonly Tensor[],
    /** The attrs of this call, captured when it ran. */
    readonly attrs: unknown,
    /** The outputs of this call. */
    readonly outputs: readonly Tensor[],
    saved: readonly Tensor[],
    /** Computes the input gradients. */
    readonly rule: NodeBackward,
  ) {
    this.id = tapeState().nextNodeId++;
    this.inputList = inputs;
    this.savedList = saved;
  }

  /** False once `release` ran. */
  get isLive(): boolean {
    return this.inputList !== null;
  }

  /** The inputs (empty once released). */
  get inputs(): readonly Tensor[] {
    return this.inputList ?? [];
  }

  /** The tensors the op saved for its backward (empty once released). */
  get saved(): readonly Tensor[] {
    return this.savedList ?? [];
  }

  /** Drops the references to inputs and saved tensors, so they can be garbage collected. */
  release(): void {
    this.inputList = null;
    this.savedList = null;
  }
}

/** The node that produced `t`, or null for a leaf (or a tensor that does not require a gradient). */
export function nodeOf(t: Tensor): GradNode | null {
  return t.gradNode instanceof GradNode ? t.gradNode : null;
}
