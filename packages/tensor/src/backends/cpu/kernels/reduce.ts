import type { Backend, KernelDef, TensorInfo } from '../../../backend/interface';
import { allocate, type TypedArray } from '../../../dtype';
import { reductionResultDType } from '../../../kernel-dtypes';
import { stridesOf } from '../../../shape';
import { axisLayout, forEachRow, planStrided } from '../iterate';
import { output, valuesOf } from '../io';

/**
 * How one reduction folds input rows into its float64 accumulator. `intoOne` folds a row of `n`
 * inputs (stride `sx`) into the single slot `acc[a]`; `intoRow` folds it elementwise into `n`
 * slots starting at `acc[a]` (stride `sa`), which happens when the innermost axis is kept.
 */
interface Reducer {
  readonly initial: number;
  intoOne(acc: Float64Array, a: number, x: TypedArray, j: number, sx: number, n: number): void;
  intoRow(acc: Float64Array, a: number, sa: number, x: TypedArray, j: number, sx: number, n: number): void;
}

const SUM: Reducer = {
  initial: 0,
  intoOne(acc, a, x, j, sx, n) {
    let s = acc[a]!;
    for (let i = 0; i < n; i++, j += sx) s += x[j]!;
    acc[a] = s;
  },
  intoRow(acc, a, sa, x, j, sx, n) {
    for (let i = 0; i < n; i++, a += sa, j += sx) acc[a]! += x[j]!;
  },
};

// `v > m || v !== v` keeps the first NaN met (NaN propagates, as in NumPy).
const MAX: Reducer = {
  initial: -Infinity,
  intoOne(acc, a, x, j, sx, n) {
    let m = acc[a]!;
    for (let i = 0; i < n; i++, j += sx) {
      const v = x[j]!;
      if (v > m || v !== v) m = v;
    }
    acc[a] = m;
  },
  intoRow(acc, a, sa, x, j, sx, n) {
    for (let i = 0; i < n; i++, a += sa, j += sx) {
      const v = x[j]!;
      if (v > acc[a]! || v !== v) acc[a] = v;
    }
  },
};

const MIN: Reducer = {
  initial: Infinity,
  intoOne(acc, a, x, j, sx, n) {
    let m = acc[a]!;
    for (let i = 0; i < n; i++, j += sx) {
      const v = x[j]!;
      if (v < m || v !== v) m = v;
    }
    acc[a] = m;
  },
  intoRow(acc, a, sa, x, j, sx, n) {
    for (let i = 0; i < n; i++, a += sa, j += sx) {
      const v = x[j]!;
      if (v < acc[a]! || v !== v) acc[a] = v;
    }
  },
};

/** Sum of squared deviations from `means` (indexed like the accumulator): the second pass of `variance`. */
function squaredDeviations(means: Float64Array): Reducer {
  return {
    initial: 0,
    intoOne(acc, a, x, j, sx, n) {
      const m = means[a]!;
      let s = acc[a]!;
      for (let i = 0; i < n; i++, j += sx) {
        const d = x[j]! - m;
        s += d * d;
      }
      acc[a] = s;
    },
    intoRow(acc, a, sa, x, j, sx, n) {
      for (let i = 0; i < n; i++, a += sa, j += sx) {
        const d = x[j]! - means[a]!;
        acc[a]! += d * d;
      }
    },
  };
}

/** The shape of a reduction's output with the reduced axes kept as size 1 or dropped. */
function reducedShape(shape: readonly number[], axes: readonly number[], keepDims: boolean): number[] {
  const out: number[] = [];
  shape.forEach((d, i) => {
    if (!axes.includes(i)) out.push(d);
    else if (keepDims) out.push(1);
  });
  return out;
}

/**
 * Folds `x` over `axes` with `reducer` into a float64 accumulator of the kept-dims size. The input
 * is read once in memory order whichever axes are reduced; the accumulator is addressed with
 * stride 0 along reduced axes.
 */
function accumulate(
  x: TypedArray,
  shape: readonly number[],
  axes: readonly number[],
  reducer: Reducer,
): Float64Array {
  const kept = reducedShape(shape, axes, true);
  const accStrides = stridesOf(kept).map((s, i) => (axes.includes(i) ? 0 : s));
  const acc = new Float64Array(kept.reduce((p, d) => p * d, 1)).fill(reducer.initial);
  const plan = planStrided(shape, [stridesOf(shape), accStrides]);
  const sx = plan.rowStrides[0]!;
  const sa = plan.rowStrides[1]!;
  forEachRow(plan, [0, 0], (offsets, n) => {
    if (sa === 0) reducer.intoOne(acc, offsets[1]!, x, offsets[0]!, sx, n);
    else reducer.intoRow(acc, offsets[1]!, sa, x, offsets[0]!, sx, n);
  });
  return acc;
}

interface ReduceAttrs {
  axes: number[];
  keepDims: boolean;
}

/** The reduced values of `x`, before the conversion to the output dtype. */
function reduceValues(
  kernelName: string,
  x: TypedArray,
  shape: readonly number[],
  axes: readonly number[],
): Float64Array {
  if (kernelName === 'max') return accumulate(x, shape, axes, MAX);
  if (kernelName === 'min') return accumulate(x, shape, axes, MIN);
  const sums = accumulate(x, shape, axes, SUM);
  if (kernelName === 'sum') return sums;
  const count = axes.reduce((p, a) => p * shape[a]!, 1);
  for (let i = 0; i < sums.length; i++) sums[i] = sums[i]! / count;
  if (kernelName === 'mean') return sums;
  const deviations = accumulate(x, shape, axes, squaredDeviations(sums));
  for (let i = 0; i < deviations.length; i++) deviations[i] = deviations[i]! / count;
  return deviations;
}

const reduction = (kernelName: string): KernelDef<ReduceAttrs> => ({
  kernelName,
  kernelFunc: (inputs, attrs, backend) => {
    const info = inputs[0]!;
    const values = reduceValues(kernelName, valuesOf(backend, info), info.shape, attrs.axes);
    const out = allocate(reductionResultDType(kernelName, info.dtype), values.length);
    out.set(values);
    return output(backend, out, reducedShape(info.shape, attrs.axes, attrs.keepDims));
  },
});

interface ArgAttrs {
  axis: number;
  keepDims: boolean;
}

/** Index along `axis` of the largest (`sign` = 1) or smallest (`sign` = -1) value; the first NaN wins. */
function argExtreme(backend: Backend, info: TensorInfo, attrs: ArgAttrs, sign: 1 | -1): TensorInfo {
  const x = valuesOf(backend, info);
  const { outer, axisSize, inner } = axisLayout(info.shape, attrs.axis);
  const out = new Int32Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let j = o * axisSize * inner + i;
      let best = sign * x[j]!;
      let at = 0;
      for (let k = 1; k < axisSize && best === best; k++) {
        j += inner;
        const v = sign * x[j]!;
        if (v > best || v !== v) {
          best = v;
          at = k;
        }
      }
      out[o * inner + i] = at;
    }
  }
  return output(backend, out, reducedShape(info.shape, [attrs.axis], attrs.keepDims));
}

const argKernel = (kernelName: string, sign: 1 | -1): KernelDef<ArgAttrs> => ({
  kernelName,
  kernelFunc: (inputs, attrs, backend) => argExtreme(backend, inputs[0]!, attrs, sign),
});

/** CPU kernels of the reduce family. */
export const reduceKernels: KernelDef[] = [
  ...['sum', 'mean', 'max', 'min', 'variance'].map(reduction),
  argKernel('argmax', 1),
  argKernel('argmin', -1),
];
