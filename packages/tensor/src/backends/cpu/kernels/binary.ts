import type { Backend, KernelDef, TensorInfo } from '../../../backend/interface';
import { DTypeError } from '../../../errors';
import { binaryMatMulDims, packedWords, type PackedSizeAttrs } from '../../../geometry/binary';
import { formatShape, sizeOf } from '../../../shape';
import { output } from '../io';
import { binaryGemm, packSignsInto, unpackSignsInto } from '../linalg/binary';
import { readFloat32 } from '../linalg/io';

/** The int32 words of a packed kernel input. */
function readWords(backend: Backend, info: TensorInfo, op: string): Int32Array {
  const values = backend.readSync(info.dataId);
  if (!(values instanceof Int32Array)) {
    throw new DTypeError(
      `${op}: got a ${info.dtype} tensor of shape ${formatShape(info.shape)}; expected the int32 words of packSigns`,
    );
  }
  return values;
}

/**
 * CPU kernels of the bit-packed binary ops (`packSigns`, `unpackSigns`, `binaryMatMul`). They are
 * not a kernel family: the gpu backend has none (it holds int32 as float32, exact only to 2²⁴, so
 * packed words cannot live in its textures), and callers check `binaryKernelsAvailable()`.
 */
export const binaryKernels: KernelDef[] = [
  {
    kernelName: 'packSigns',
    kernelFunc: ([x], _attrs, backend) => {
      const k = x!.shape[x!.shape.length - 1]!;
      const rows = sizeOf(x!.shape) / k;
      const out = new Int32Array(rows * packedWords(k));
      packSignsInto(readFloat32(backend, x!, 'packSigns'), rows, k, out);
      return output(backend, out, [...x!.shape.slice(0, -1), packedWords(k)]);
    },
  } satisfies KernelDef<object>,
  {
    kernelName: 'unpackSigns',
    kernelFunc: ([bits], { size }: PackedSizeAttrs, backend) => {
      const rows = sizeOf(bits!.shape) / packedWords(size);
      const out = new Float32Array(rows * size);
      unpackSignsInto(readWords(backend, bits!, 'unpackSigns'), rows, size, out);
      return output(backend, out, [...bits!.shape.slice(0, -1), size]);
    },
  } satisfies KernelDef<PackedSizeAttrs>,
  {
    kernelName: 'binaryMatMul',
    kernelFunc: ([a, b], { size }: PackedSizeAttrs, backend) => {
      const { m, n, k } = binaryMatMulDims(a!, b!, size);
      const out = new Float32Array(m * n);
      binaryGemm(
        m,
        n,
        k,
        readWords(backend, a!, 'binaryMatMul'),
        readWords(backend, b!, 'binaryMatMul'),
        out,
      );
      return output(backend, out, [m, n]);
    },
  } satisfies KernelDef<PackedSizeAttrs>,
];
