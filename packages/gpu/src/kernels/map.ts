import { broadcastShapes, shapesEqual, type DType, type Shape, type TensorInfo } from '@fbt/tensor';
import type { GpuBackend } from '../backend';
import { broadcastOffset, coords } from '../codegen';

/**
 * The body of an elementwise program over `inputs` broadcast to `shape`: each input `k` is read
 * into the variable `v${k}`, then `expr` (over `v0 … vn`) is returned.
 */
export function mapBody(inputs: readonly { readonly shape: Shape }[], shape: Shape, expr: string): string {
  const lines: string[] = [];
  const needCoords = inputs.some((t) => !shapesEqual(t.shape, shape));
  if (needCoords) lines.push(coords('i', shape, 'c'));
  inputs.forEach((t, k) => {
    const at = shapesEqual(t.shape, shape) ? 'i' : broadcastOffset(t.shape, shape.length, 'c');
    lines.push(`const v${k} = x${k}[${at}];`);
  });
  lines.push(`return ${expr};`);
  return lines.join('\n');
}

/** The broadcast shape of several inputs; `op` names the kernel in a `ShapeError`. */
export function broadcastAll(inputs: readonly TensorInfo[], op: string): Shape {
  return inputs.reduce<Shape>((acc, t) => broadcastShapes(acc, t.shape, op), []);
}

/** Runs an elementwise expression over broadcast inputs (`v0 … vn` in `expr`). */
export function runMap(
  backend: GpuBackend,
  op: string,
  inputs: readonly TensorInfo[],
  expr: string,
  dtype: DType = 'float32',
  params?: Float32Array,
): TensorInfo {
  const shape = broadcastAll(inputs, op);
  return backend.run({ name: op, body: mapBody(inputs, shape, expr) }, inputs, shape, dtype, params);
}
