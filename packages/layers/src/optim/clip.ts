import { ArgumentError, scaleInPlace, type Tensor } from '@fbt/tensor';

/**
 * PyTorch's `clip_grad_norm_`: the L2 norm of all gradients together; when it exceeds `maxNorm`,
 * every gradient is scaled in place by maxNorm/(norm + 1e-6). Parameters without a gradient are
 * skipped. Returns the total norm before clipping.
 */
export function clipGradNorm(params: Iterable<Tensor>, maxNorm: number): number {
  if (!(maxNorm >= 0) || !Number.isFinite(maxNorm))
    throw new ArgumentError(`clipGradNorm: maxNorm=${maxNorm}; expected a finite number >= 0`);
  const grads: Tensor[] = [];
  for (const p of params) if (p.grad !== null) grads.push(p.grad);
  let sumSquares = 0;
  for (const g of grads) {
    const values = g.dataSync();
    for (let i = 0; i < values.length; i++) sumSquares += values[i]! * values[i]!;
  }
  const norm = Math.sqrt(sumSquares);
  const coefficient = maxNorm / (norm + 1e-6);
  if (coefficient < 1) for (const g of grads) scaleInPlace(g, coefficient);
  return norm;
}
