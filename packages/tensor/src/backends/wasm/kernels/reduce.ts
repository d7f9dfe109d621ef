import { reductionResultDType } from '../../../kernel-dtypes';
import { sizeOf, stridesOf, type Shape } from '../../../shape';
import type { TensorInfo } from '../../../backend/interface';
import { opCode } from '../instance';
import type { WasmBackend } from '../backend';
import { cpuFallback, defineKernel, type WasmKernelDef } from './define';

interface ReduceAttrs {
  axes: number[];
  keepDims: boolean;
}

/** The shape of a reduction's output with the reduced axes kept as size 1 or dropped. */
function reducedShape(shape: Shape, axes: readonly number[], keepDims: boolean): number[] {
  return shape.flatMap((d, i) => (!axes.includes(i) ? [d] : keepDims ? [1] : []));
}

/**
 * Folds `x` over `axes` with the module's reducer `code` into the float64 work block `acc`
 * (initialised to `initial`); `means` is the block of means for the squared-deviation pass.
 */
function fold(
  backend: WasmBackend,
  x: TensorInfo,
  axes: readonly number[],
  code: string,
  initial: number,
  acc: number,
  means = 0,
): void {
  const kept = reducedShape(x.shape, axes, true);
  const accStrides = stridesOf(kept).map((s, i) => (axes.includes(i) ? 0 : s));
  backend.float64(acc, sizeOf(kept)).fill(initial);
  const plan = backend.plan(x.shape, [stridesOf(x.shape), accStrides]);
  const count = sizeOf(kept);
  const args = [
    opCode(backend.exports, code),
    plan,
    backend.ptr(x),
    Number(x.dtype === 'int32'),
    acc,
    means,
    count,
  ] as const;
  // Threads own ranges of the accumulator: a reduction to one value runs on one thread.
  backend.parallel('reduce', count > 1 ? sizeOf(x.shape) : 0, args, backend.exports.reduceWorkspace());
}

const INITIAL: Readonly<Record<string, [string, number]>> = {
  sum: ['SUM', 0],
  mean: ['SUM', 0],
  variance: ['SUM', 0],
  max: ['MAXIMUM', -Infinity],
  min: ['MINIMUM', Infinity],
};

/**
 * A reduction: float64 accumulation in wasm (the same order as the cpu kernel, so sums agree to
 * the bit; threads own ranges of the accumulator), then division by the count (`mean`,
 * `variance`) and conversion to the output dtype.
 */
const reduction = (kernelName: string): WasmKernelDef =>
  defineKernel<ReduceAttrs>(kernelName, (inputs, attrs, backend) => {
    const x = inputs[0]!;
    const out = backend.output(
      reducedShape(x.shape, attrs.axes, attrs.keepDims),
      reductionResultDType(kernelName, x.dtype),
    );
    const count = out.dataId.size;
    const acc = backend.scratchBlock('reduce.acc', count * 8);
    const means = kernelName === 'variance' ? backend.scratchBlock('reduce.means', count * 8) : 0;
    const [code, initial] = INITIAL[kernelName]!;
    fold(backend, x, attrs.axes, code, initial, acc);
    const n = attrs.axes.reduce((p, a) => p * x.shape[a]!, 1);
    if (kernelName === 'mean' || kernelName === 'variance') {
      const values = backend.float64(acc, count);
      for (let i = 0; i < count; i++) values[i] = values[i]! / n;
    }
    if (kernelName === 'variance') {
      backend.float64(means, count).set(backend.float64(acc, count));
      fold(backend, x, attrs.axes, 'SQUARED_DEVIATION', 0, acc, means);
      const values = backend.float64(acc, count);
      for (let i = 0; i < count; i++) values[i] = values[i]! / n;
    }
    backend.view(out.dataId).set(backend.float64(acc, count));
    return out;
  });

/** Wasm kernels of the reduce family (`argmax`/`argmin` run the cpu kernels on wasm memory). */
export const reduceKernels: readonly WasmKernelDef[] = [
  ...['sum', 'mean', 'max', 'min', 'variance'].map(reduction),
  cpuFallback('argmax'),
  cpuFallback('argmin'),
];
