import {
  binaryConvGeometry,
  binaryMatMulDims,
  packedWords,
  type PackedSizeAttrs,
} from '../../../geometry/binary';
import type { Im2colAttrs } from '../../../geometry/window';
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
 * a time), the XNOR-popcount GEMM (`i64.popcnt` in a 2 x 4 register block) and the binary
 * convolution (the input's sign rows packed, the im2col columns' signs cut from them a tap row at a
 * time, then the GEMM writing
 * NCHW, one group of OH·OW columns per image), all shared out over the kernel threads. Not a kernel family (the gpu backend has none; see `binaryKernelsAvailable`).
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
      [m, n, k, aPtr, bPtr, out.dataId.ptr, n],
      backend.exports.binaryGemmWorkspace(m, k),
    );
    return out;
  }),
  defineKernel<Im2colAttrs>('binaryConv2d', ([x, w], attrs, backend) => {
    const g = binaryConvGeometry(x!, w!, attrs);
    const [xPtr, wPtr] = [float32Ptr(backend, x!, 'binaryConv2d'), wordsPtr(backend, w!, 'binaryConv2d')];
    const [k, positions, plane] = [g.c * g.kh * g.kw, g.n * g.oh * g.ow, g.oh * g.ow];
    const imageRows = g.n * g.c * g.h;
    const rows = backend.scratchBlock('binaryConv2d.rows', imageRows * packedWords(g.w) * 4 + 8);
    backend.parallel('packSigns', imageRows * g.w, [xPtr, rows, imageRows, g.w]);
    const cols = backend.scratchBlock('binaryConv2d.cols', positions * packedWords(k) * 4);
    backend.parallel('packIm2col', positions * k, [rows, backend.geometry(g), cols]);
    const out = backend.output([g.n, g.outChannels, g.oh, g.ow]);
    backend.parallel(
      'binaryGemm',
      g.outChannels * positions * packedWords(k) * 32,
      [g.outChannels, positions, k, wPtr, cols, out.dataId.ptr, plane],
      backend.exports.binaryGemmWorkspace(g.outChannels, k),
    );
    return out;
  }),
];
