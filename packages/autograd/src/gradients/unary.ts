import { div, greater, greaterEqual, lessEqual, mul, neg, sign, sub, type Tensor } from '@fbt/tensor';
import { registerGradient, type GradientFn } from '../registry';

/** The gradient of a one-input kernel whose derivative is `derivative(x, y)` (y the output). */
const chain =
  (derivative: (x: Tensor, y: Tensor) => Tensor): GradientFn =>
  (dy, [x], _attrs, [y]) => [mul(dy, derivative(x!, y!))];

/** Attrs of `clamp`. */
interface ClampAttrs {
  readonly min: number;
  readonly max: number;
}

/** Registers the gradients of the one-input elementwise kernels. */
export function registerUnaryGradients(): void {
  registerGradient('neg', (dy) => [neg(dy)]);
  // abs'(0) = sign(0) = +1, the project's convention.
  registerGradient(
    'abs',
    chain((x) => sign(x)),
  );
  registerGradient(
    'exp',
    chain((_x, y) => y),
  );
  registerGradient('log', (dy, [x]) => [div(dy, x!)]);
  registerGradient('sqrt', (dy, _inputs, _attrs, [y]) => [div(mul(dy, 0.5), y!)]);
  registerGradient(
    'square',
    chain((x) => mul(x, 2)),
  );
  registerGradient('reciprocal', (dy, _inputs, _attrs, [y]) => [neg(mul(dy, mul(y!, y!)))]);
  registerGradient(
    'tanh',
    chain((_x, y) => sub(1, mul(y, y))),
  );
  registerGradient(
    'sigmoid',
    chain((_x, y) => mul(y, sub(1, y))),
  );
  // relu' = 1[x > 0]: relu'(0) = 0 like PyTorch, and like the `relu` entry of @fbt/surrogates' table.
  registerGradient(
    'relu',
    chain((x) => greater(x, 0)),
  );
  // The gradient passes where min <= x <= max, boundaries included (like PyTorch).
  registerGradient<ClampAttrs>('clamp', (dy, [x], { min, max }) => [
    mul(dy, mul(greaterEqual(x!, min), lessEqual(x!, max))),
  ]);
  // float32 → float32 is the identity; int32 outputs are never recorded.
  registerGradient('cast', (dy, [x]) => [x!.dtype === 'float32' ? dy : null]);
}
