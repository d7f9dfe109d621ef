import { matmul, type Tensor } from '@fbt/tensor';

/**
 * x·wᵀ + bias for `x` `[M, in]`, `w` `[out, in]` and `bias` `[out]` (or null), the bias added inside
 * the product's kernel (PyTorch's `F.linear`): `Linear`, the recurrent cells' gate projections and
 * attention's input projections.
 */
export function linear(x: Tensor, w: Tensor, bias: Tensor | null): Tensor {
  return matmul(x, w, bias === null ? { transposeB: true } : { transposeB: true, bias });
}
