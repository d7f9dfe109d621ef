import type { KernelDef } from '../../../backend/interface';
import { gemm, rowMajorView } from '../linalg/gemm';
import { output } from '../io';
import { readFloat32 } from '../linalg/io';
import { matMulDims, type MatMulAttrs } from '../../../geometry/matmul';

/** CPU kernels of the matmul family. */
export const matmulKernels: KernelDef[] = [
  {
    kernelName: 'matMul',
    kernelFunc: ([a, b, bias], { transposeA, transposeB }: MatMulAttrs, backend) => {
      const { batch, batchA, batchB, m, n, k, outShape } = matMulDims(
        a!.shape,
        b!.shape,
        transposeA,
        transposeB,
      );
      const aData = readFloat32(backend, a!, 'matmul');
      const bData = readFloat32(backend, b!, 'matmul');
      const out = new Float32Array(batch * m * n);
      for (let i = 0; i < batch; i++) {
        const aView = rowMajorView(aData, batchA === 1 ? 0 : i * m * k, transposeA ? m : k, transposeA);
        const bView = rowMajorView(bData, batchB === 1 ? 0 : i * k * n, transposeB ? k : n, transposeB);
        gemm(m, n, k, aView, bView, out, i * m * n, n, false);
      }
      // The bias (the optional third input) is added to each finished sum, a float32 add.
      if (bias !== undefined) {
        const biasData = readFloat32(backend, bias, 'matmul');
        for (let row = 0; row < out.length; row += n)
          for (let j = 0; j < n; j++) out[row + j] = out[row + j]! + biasData[j]!;
      }
      return output(backend, out, outShape);
    },
  } satisfies KernelDef<MatMulAttrs>,
];
