import {
  div,
  greater,
  greaterEqual,
  lessEqual,
  log,
  mul,
  neg,
  pow,
  sub,
  sumTo,
  where,
  type Tensor,
} from '@fbt/tensor';
import { registerGradient } from '../registry';

/** `g()` reduced to `x`'s shape when `x` needs a gradient, else null (skips the work). */
const to = (x: Tensor, g: () => Tensor): Tensor | null => (x.requiresGrad ? sumTo(g(), x.shape) : null);

/**
 * The gradient of `maximum`/`minimum`: `dy` goes to `a` where `keepA(a, b)` is 1, else to `b`.
 * Ties (a = b) send the whole gradient to the first input, `a`.
 */
function selectGradient(keepA: (a: Tensor, b: Tensor) => Tensor) {
  return (dy: Tensor, [a, b]: readonly Tensor[]): (Tensor | null)[] => {
    const toA = mul(dy, keepA(a!, b!));
    return [to(a!, () => toA), to(b!, () => sub(dy, toA))];
  };
}

/** Registers the gradients of the broadcasting binary kernels and `where`. */
export function registerBinaryGradients(): void {
  registerGradient('add', (dy, [a, b]) => [to(a!, () => dy), to(b!, () => dy)]);
  registerGradient('sub', (dy, [a, b]) => [to(a!, () => dy), to(b!, () => neg(dy))]);
  registerGradient('mul', (dy, [a, b]) => [to(a!, () => mul(dy, b!)), to(b!, () => mul(dy, a!))]);
  // d(a/b)/db = −a/b² = −y/b
  registerGradient('div', (dy, [a, b], _attrs, [y]) => [
    to(a!, () => div(dy, b!)),
    to(b!, () => neg(div(mul(dy, y!), b!))),
  ]);
  // d(a^b)/da = b·a^(b−1); d(a^b)/db = a^b·ln a, taken as 0 where a ≤ 0 (ln undefined there).
  registerGradient('pow', (dy, [a, b], _attrs, [y]) => [
    to(a!, () => mul(dy, mul(b!, pow(a!, sub(b!, 1))))),
    to(b!, () => mul(dy, where(greater(a!, 0), mul(y!, log(a!)), 0))),
  ]);
  registerGradient('maximum', selectGradient(greaterEqual));
  registerGradient('minimum', selectGradient(lessEqual));
  registerGradient('where', (dy, [cond, a, b]) => [
    null,
    to(a!, () => where(cond!, dy, 0)),
    to(b!, () => where(cond!, 0, dy)),
  ]);
}
