import type { Backend, KernelDef, TensorInfo } from '../../../backend/interface';
import { DTypeError } from '../../../errors';
import {
  binaryConvGeometry,
  binaryMatMulDims,
  packedWords,
  type PackedSizeAttrs,
} from '../../../geometry/binary';
import type { Im2colAttrs } from '../../../geometry/window';
import { formatShape, sizeOf } from '../../../shape';
import { output } from '../io';
import { binaryGemm, packIm2colInto, packSignsInto, unpackSignsInto } from '../linalg/binary';
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
 * CPU kernels of the bit-packed binary ops (`packSigns`, `unpackSigns`, `binaryMatMul`,
 * `binaryConv2d`: the im2col signs packed straight from the images, then one product per image). They are
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
  {
    kernelName: 'binaryConv2d',
    kernelFunc: ([x, w], attrs: Im2colAttrs, backend) => {
      const g = binaryConvGeometry(x!, w!, attrs);
      const [k, plane, o] = [g.c * g.kh * g.kw, g.oh * g.ow, g.outChannels];
      const words = packedWords(k);
      const cols = new Int32Array(g.n * plane * words);
      packIm2colInto(readFloat32(backend, x!, 'binaryConv2d'), g, cols);
      const filters = readWords(backend, w!, 'binaryConv2d');
      const out = new Float32Array(g.n * o * plane);
      for (let image = 0; image < g.n; image++) {
        const imageCols = cols.subarray(image * plane * words, (image + 1) * plane * words);
        binaryGemm(o, plane, k, filters, imageCols, out.subarray(image * o * plane, (image + 1) * o * plane));
      }
      return output(backend, out, [g.n, o, g.oh, g.ow]);
    },
  } satisfies KernelDef<Im2colAttrs>,
];
