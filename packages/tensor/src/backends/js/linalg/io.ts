import type { Backend, TensorInfo } from '../../../backend/interface';
import { DTypeError } from '../../../errors';
import { formatShape, type Shape } from '../../../shape';
import type { CpuBackend } from '../backend';

/** The float32 elements of a kernel input; throws a `DTypeError` naming `op` for int32 storage. */
export function readFloat32(backend: Backend, info: TensorInfo, op: string): Float32Array {
  const values = backend.readSync(info.dataId);
  if (!(values instanceof Float32Array)) {
    throw new DTypeError(
      `${op}: got a ${info.dtype} tensor of shape ${formatShape(info.shape)}; expected float32`,
    );
  }
  return values;
}

/** Wraps freshly computed float32 values as a kernel output of the CPU backend. */
export function writeFloat32(backend: Backend, values: Float32Array, shape: Shape): TensorInfo {
  return (backend as CpuBackend).output(values, shape);
}
