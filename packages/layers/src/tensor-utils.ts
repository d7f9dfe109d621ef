import { assignInPlace, type Tensor } from '@fbt/tensor';

/** Copies `source`'s values into `target`'s storage (same shape and dtype), keeping `target`'s identity. */
export function copyInto(target: Tensor, source: Tensor): void {
  assignInPlace(target, source);
}
