import { binaryMatMulDims, packedWords, type PackedSizeAttrs } from '../../../geometry/binary';
import { DTypeError } from '../../../errors';
import { formatShape, sizeOf } from '../../../shape';
import type { TensorInfo } from '../../../backend/interface';
import type { WasmBackend } from '../backend';
import { defineKernel, float32Ptr, type WasmKernelDef } from './define';

/** The byte address of a packed (int32) input; throws a `DTypeError` naming `op` otherwise. */
function wordsPtr(backend: WasmBackend, info: TensorInfo, op: string): number {
  if (info.dtype !== 'int32') {
    throw new DTypeError(
      `${op}: got a ${info.dtype} tensor of shape ${formatShape(info.shape)}; expected the int32 words of packSigns`,
    );
  }
  return backend.ptr(info);
}

/**
 * Wasm kernels of the bit-packed binary ops: sign packing in SIMD (16 comparisons to a bitmask at
 * a time) and the XNOR-popcount GEMM (`i64.popcnt` in a 2 x 4 register block), both shared out
 * over the kernel threads. Not a kernel family (the gpu backend has none; see `binaryKernelsAvailable`).
 */
export const binaryKernels: readonly WasmKernelDef[] = [
  defineKernel('packSigns', ([x], _attrs, backend) => {
    const k = x!.shape[x!.shape.length - 1]!;
    const rows = sizeOf(x!.shape) / k;
    const xPtr = float32Ptr(backend, x!, 'packSigns');
    const out = backend.output([...x!.shape.slice(0, -1), packedWords(k)], 'int32');
    backend.parallel('packSigns', rows * k, [xPtr, out.dataId.ptr, rows, k]);
    return out;
  }),
  defineKernel<PackedSizeAttrs>('unpackSigns', ([bits], { size }, backend) => {
    const rows = sizeOf(bits!.shape) / packedWords(size);
    const bitsPtr = wordsPtr(backend, bits!, 'unpackSigns');
    const out = backend.output([...bits!.shape.slice(0, -1), size]);
    backend.exports.unpackSigns(bitsPtr, out.dataId.ptr, rows, size);
    return out;
  }),
  defineKernel<PackedSizeAttrs>('binaryMatMul', ([a, b], { size }, backend) => {
    const { m, n, k } = binaryMatMulDims(a!, b!, size);
    const [aPtr, bPtr] = [wordsPtr(backend, a!, 'binaryMatMul'), wordsPtr(backend, b!, 'binaryMatMul')];
    const out = backend.output([m, n]);
    const work = m * n * packedWords(k) * 32;
    backend.parallel(
      'binaryGemm',
      work,
      [m, n, k, aPtr, bPtr, out.dataId.ptr],
      backend.exports.binaryGemmWorkspace(m, k),
    );
    return out;
  }),
];
