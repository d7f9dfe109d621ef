import {
  add,
  addInPlace,
  checkOptions,
  engine,
  formatShape,
  keep,
  ones,
  reshape,
  shapesEqual,
  Tensor,
  type Rng,
} from '@fbt/tensor';
import { GradientError } from './errors';
import { applyHooks } from './hooks';
import { GradNode, nodeOf } from './node';
import { tapeState } from './state';
import { installTape, noGrad } from './tape';

/** Options of `backward`. */
export interface BackwardOptions {
  /** Gradient of the loss (its shape); required when the loss is not a one-element tensor. */
  grad?: Tensor;
  /** Keep the graph so `backward` can run through it again (default false: it is freed). */
  retainGraph?: boolean;
  /** Generator handed to custom backwards (default: the tape's, see `manualSeed`). */
  rng?: Rng;
}

/** The leaves reached by one backward pass and their total gradients (same order, all distinct). */
export interface LeafGradients {
  readonly leaves: readonly Tensor[];
  readonly grads: readonly Tensor[];
}

function assertLoss(loss: unknown, op: string): asserts loss is Tensor {
  if (!(loss instanceof Tensor)) throw new GradientError(`${op}: got ${String(loss)}; expected a Tensor`);
  loss.assertLive(op);
  if (!loss.requiresGrad) {
    throw new GradientError(
      `${op}: ${loss.toString()} does not require a gradient: none of the tensors it was computed from ` +
        `has requiresGrad = true, or it was computed inside noGrad`,
    );
  }
}

function seedFor(loss: Tensor, grad: Tensor | undefined, op: string): Tensor {
  if (grad === undefined) {
    if (loss.size !== 1) {
      throw new GradientError(
        `${op}: the loss has shape ${formatShape(loss.shape)}; expected a one-element tensor, or pass { grad } of that shape`,
      );
    }
    return ones(loss.shape);
  }
  if (!(grad instanceof Tensor) || grad.dtype !== 'float32' || !shapesEqual(grad.shape, loss.shape)) {
    const got = grad instanceof Tensor ? grad.toString() : String(grad);
    throw new GradientError(
      `${op}: grad is ${got}; expected a float32 tensor of the loss's shape ${formatShape(loss.shape)}`,
    );
  }
  grad.assertLive(op);
  return grad;
}

/** The nodes reachable from `loss`, in reverse creation (hence reverse topological) order. */
function collectNodes(loss: Tensor, op: string): GradNode[] {
  const found = new Set<GradNode>();
  const start = nodeOf(loss);
  const stack = start === null ? [] : [start];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (found.has(node)) continue;
    if (!node.isLive) {
      throw new GradientError(
        `${op}: the graph through '${node.name}' (node #${node.id}) was freed by an earlier backward; ` +
          `pass { retainGraph: true } to that backward to run backward through the graph again`,
      );
    }
    found.add(node);
    for (const input of node.inputs) {
      const parent = nodeOf(input);
      if (parent !== null && !found.has(parent)) stack.push(parent);
    }
  }
  return [...found].sort((a, b) => b.id - a.id);
}

function assertUsable(node: GradNode, op: string): void {
  const check = (list: readonly Tensor[], what: string): void =>
    list.forEach((t, i) => {
      if (t.isDisposed) {
        throw new GradientError(
          `${op}: ${what} ${i} of '${node.name}' (${t.toString()}) was disposed before backward; run backward ` +
            `inside the tidy that ran the forward, or keep() the tensors the graph needs`,
        );
      }
    });
  check(node.inputs, 'input');
  check(node.saved, 'saved tensor');
}

function checkGradients(node: GradNode, grads: readonly (Tensor | null)[], op: string): void {
  if (!Array.isArray(grads) || grads.length !== node.inputs.length) {
    throw new GradientError(
      `${op}: the backward of '${node.name}' returned ${Array.isArray(grads) ? `${grads.length} gradients` : String(grads)}; ` +
        `expected an array of ${node.inputs.length} (one per input, null for none)`,
    );
  }
  grads.forEach((g, i) => {
    const input = node.inputs[i]!;
    if (g === null || !input.requiresGrad) return;
    if (!(g instanceof Tensor) || !shapesEqual(g.shape, input.shape)) {
      const got = g instanceof Tensor ? `shape ${formatShape(g.shape)}` : String(g);
      throw new GradientError(
        `${op}: the backward of '${node.name}' returned a gradient of ${got} for input ${i}; expected shape ${formatShape(input.shape)}`,
      );
    }
  });
}

/**
 * Runs the backward pass from `loss` and returns the total gradient of every leaf that requires one
 * (hooks applied), without touching `.grad`. Gradients flow in reverse creation order of the nodes,
 * so the order is deterministic. Intermediate gradients are disposed; the returned ones are fresh
 * tensors (never the seed, never shared between two leaves).
 * @internal
 */
export function computeLeafGradients(loss: Tensor, options: BackwardOptions, op: string): LeafGradients {
  installTape();
  assertLoss(loss, op);
  checkOptions(options, { grad: true, retainGraph: true, rng: true }, op);
  const nodes = collectNodes(loss, op);
  const rng = options.rng ?? tapeState().rng;
  const leaves: Tensor[] = [];
  const grads = noGrad(() =>
    engine().tidy(() => {
      const seed = seedFor(loss, options.grad, op);
      const pending = new Map<Tensor, Tensor>();
      const leafTotals = new Map<Tensor, Tensor>();
      const accumulate = (t: Tensor, g: Tensor): void => {
        const into = nodeOf(t) === null ? leafTotals : pending;
        const previous = into.get(t);
        into.set(t, previous === undefined ? g : add(previous, g));
      };
      accumulate(loss, seed);
      for (const node of nodes) {
        const [first, ...rest] = node.outputs;
        const arrived = first === undefined ? undefined : pending.get(first);
        for (const other of rest) {
          if (pending.has(other)) {
            throw new GradientError(
              `${op}: '${node.name}' has several outputs; gradients flow only through its first`,
            );
          }
        }
        if (first === undefined || arrived === undefined) continue;
        assertUsable(node, op);
        const inputGrads = node.rule.run(node, applyHooks(first, arrived), rng);
        checkGradients(node, inputGrads, op);
        inputGrads.forEach((g, i) => {
          const input = node.inputs[i]!;
          if (g !== null && input.requiresGrad) accumulate(input, g);
        });
      }
      const seen = new Set<Tensor>([seed]);
      const totals: Tensor[] = [];
      for (const [leaf, total] of leafTotals) {
        const hooked = applyHooks(leaf, total);
        const fresh = seen.has(hooked) ? reshape(hooked, hooked.shape) : hooked;
        seen.add(fresh);
        leaves.push(leaf);
        totals.push(fresh);
      }
      return totals;
    }),
  );
  if (options.retainGraph !== true) for (const node of nodes) node.release();
  return { leaves, grads };
}

/**
 * Backpropagates from `loss` and accumulates the gradient of every leaf tensor that has
 * `requiresGrad` into its `.grad` (added in place to an existing `.grad`). The loss must be a
 * one-element tensor unless `grad` is given. The graph is freed afterwards unless `retainGraph`.
 * Leaf gradients are `keep()`-ed, so an enclosing `tidy` does not dispose them; call `backward`
 * inside the `tidy` that ran the forward (the graph needs the forward's tensors).
 *
 * @example
 * const w = tensor([1, 2]);
 * w.requiresGrad = true;
 * backward(sum(mul(w, w)));
 * w.grad; // [2, 4]
 */
export function backward(loss: Tensor, options: BackwardOptions = {}): void {
  const { leaves, grads } = computeLeafGradients(loss, options, 'backward');
  leaves.forEach((leaf, i) => {
    const g = grads[i]!;
    if (leaf.grad !== null && !leaf.grad.isDisposed) {
      addInPlace(leaf.grad, g);
      g.dispose();
    } else {
      leaf.grad = keep(g);
    }
  });
}
