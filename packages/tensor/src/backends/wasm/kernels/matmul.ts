import { matMulDims, type MatMulAttrs } from '../../../geometry/matmul';
import { defineKernel, float32Ptr, type WasmKernelDef } from './define';

/**
 * `matMul` on wasm: one SIMD GEMM per batch entry, shared out over the kernel threads, each thread
 * adding the bias (the optional third input) to its share of the rows once their sums are finished.
 * A transposed operand is the same storage read with swapped strides, so no transpose is
 * materialised.
 */
const matMul = defineKernel<MatMulAttrs>('matMul', ([a, b, bias], { transposeA, transposeB }, backend) => {
  const { batch, batchA, batchB, m, n, k, outShape } = matMulDims(a!.shape, b!.shape, transposeA, transposeB);
  const aPtr = float32Ptr(backend, a!, 'matmul');
  const bPtr = float32Ptr(backend, b!, 'matmul');
  const biasPtr = bias === undefined ? 0 : float32Ptr(backend, bias, 'matmul');
  const out = backend.output(outShape);
  const [ars, acs] = transposeA ? [1, m] : [k, 1];
  const [brs, bcs] = transposeB ? [1, k] : [n, 1];
  const workBytes = backend.exports.gemmWorkspace(m, n, k);
  for (let i = 0; i < batch; i++) {
    const aAt = aPtr + (batchA === 1 ? 0 : 4 * i * m * k);
    const bAt = bPtr + (batchB === 1 ? 0 : 4 * i * k * n);
    const cAt = out.dataId.ptr + 4 * i * m * n;
    backend.parallel(
      'gemm',
      m * n * k,
      [m, n, k, aAt, ars, acs, bAt, brs, bcs, cAt, n, 0, biasPtr],
      workBytes,
    );
  }
  return out;
});

/** Wasm kernels of the matmul family. */
export const matmulKernels: readonly WasmKernelDef[] = [matMul];
