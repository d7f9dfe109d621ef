import type { Backend, TensorInfo } from '../../../backend/interface';
import { DTypeError } from '../../../errors';
import { formatShape } from '../../../shape';

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
