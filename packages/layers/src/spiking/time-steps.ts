import { slice, type Tensor } from '@fbt/tensor';

/** The rows `[from, from + count)` of `x` along its first axis. */
function rows(x: Tensor, from: number, count: number): Tensor {
  return slice(x, [from, ...x.shape.slice(1).map(() => 0)], [count, ...x.shape.slice(1)]);
}

/**
 * The time steps of `x` (`[T, ...S]`) as T tensors `[1, ...S]`, for an unrolled loop.
 *
 * Slicing step t straight out of `x` is cheap in the forward, but the gradient of a slice is the
 * whole `[T, ...S]` (zeros around the step), so a backward through T such slices costs T²·n floats
 * of work (n = |S|). When `x` takes part in backprop, the steps are cut in two levels instead:
 * blocks of C = ⌈√T⌉ steps, then steps out of each block, which costs about 2·T^1.5·n in the
 * backward (2.5× less at T = 25, 5× at T = 100) for one extra copy of `x` (the blocks) on the tape.
 */
export function timeSteps(x: Tensor): Tensor[] {
  const steps = x.shape[0]!;
  const single = (block: Tensor): Tensor[] =>
    Array.from({ length: block.shape[0]! }, (_, t) => rows(block, t, 1));
  if (!x.requiresGrad || steps < 9) return single(x);
  const size = Math.ceil(Math.sqrt(steps));
  const out: Tensor[] = [];
  for (let from = 0; from < steps; from += size)
    out.push(...single(rows(x, from, Math.min(size, steps - from))));
  return out;
}
