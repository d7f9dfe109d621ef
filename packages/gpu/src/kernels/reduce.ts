import { ArgumentError, reductionResultDType, sizeOf, stridesOf, type Shape } from '@fbt/tensor';
import { coords, dot } from '../codegen';
import { defineKernel, input, type GpuKernelDef } from './define';

interface ReduceAttrs {
  readonly axes: readonly number[];
  readonly keepDims: boolean;
}

interface ArgAttrs {
  readonly axis: number;
  readonly keepDims: boolean;
}

/** How the reduced elements `v` (in loop order) combine into `acc`, and the final value. */
interface Reduction {
  readonly init: string;
  readonly step: string;
  readonly result: string;
  /** A second pass over the elements after `acc` is known (variance), accumulating into `acc2`. */
  readonly second?: string;
}

const REDUCTIONS = (count: number): Record<string, Reduction> => ({
  sum: { init: '0', step: 'acc = acc + v;', result: 'acc' },
  mean: { init: '0', step: 'acc = acc + v;', result: `acc / ${count}` },
  max: { init: 'x0[base]', step: 'acc = Math.max(acc, v);', result: 'acc' },
  min: { init: 'x0[base]', step: 'acc = Math.min(acc, v);', result: 'acc' },
  variance: {
    init: '0',
    step: 'acc = acc + v;',
    second: `const d = v - acc / ${count}; acc2 = acc2 + d * d;`,
    result: `acc2 / ${count}`,
  },
});

/** Output shape of a reduction over `axes`. */
function reducedShape(shape: Shape, axes: readonly number[], keepDims: boolean): number[] {
  const out: number[] = [];
  shape.forEach((d, k) => {
    if (!axes.includes(k)) out.push(d);
    else if (keepDims) out.push(1);
  });
  return out;
}

function checkAxes(op: string, shape: Shape, axes: readonly number[]): void {
  for (const a of axes) {
    if (!Number.isInteger(a) || a < 0 || a >= shape.length) {
      throw new ArgumentError(
        `${op}: axis ${a} is out of range for rank ${shape.length}; expected normalized axes in [0, ${shape.length})`,
      );
    }
  }
}

/**
 * Source lines computing, for output element `i`, the input offset `base` of its first reduced
 * element, and the loop (over `r` in [0, count)) that binds `v` to each reduced element.
 */
function reductionLoop(
  shape: Shape,
  axes: readonly number[],
): { prelude: string; loop: (inner: string) => string; count: number } {
  const strides = stridesOf(shape);
  const kept = shape.map((_, k) => k).filter((k) => !axes.includes(k));
  const keptShape = kept.map((k) => shape[k]!);
  const reducedShapeOnly = axes.map((k) => shape[k]!);
  const count = sizeOf(reducedShapeOnly);
  const prelude = [
    coords('i', keptShape, 'o'),
    `const base = ${dot(
      kept.map((_, j) => `o${j}`),
      kept.map((k) => strides[k]!),
    )};`,
  ].join('\n');
  const loop = (inner: string): string =>
    [
      `for (let r = 0; r < ${count}; r++) {`,
      coords('r', reducedShapeOnly, 'q'),
      `const v = x0[base + ${dot(
        axes.map((_, j) => `q${j}`),
        axes.map((k) => strides[k]!),
      )}];`,
      inner,
      '}',
    ].join('\n');
  return { prelude, loop, count };
}

function reduceKernel(name: string): GpuKernelDef {
  return defineKernel<ReduceAttrs>(name, (inputs, attrs, backend) => {
    const x = input(inputs, 0, name);
    checkAxes(name, x.shape, attrs.axes);
    const { prelude, loop, count } = reductionLoop(x.shape, attrs.axes);
    const red = REDUCTIONS(count)[name]!;
    const body = [
      prelude,
      `let acc = ${red.init};`,
      loop(red.step),
      ...(red.second !== undefined ? ['let acc2 = 0;', loop(red.second)] : []),
      `return ${red.result};`,
    ].join('\n');
    const outShape = reducedShape(x.shape, attrs.axes, attrs.keepDims);
    return backend.run({ name, body, loopMax: count }, [x], outShape, reductionResultDType(name, x.dtype));
  });
}

function argKernel(name: 'argmax' | 'argmin'): GpuKernelDef {
  const better = name === 'argmax' ? '>' : '<';
  return defineKernel<ArgAttrs>(name, (inputs, attrs, backend) => {
    const x = input(inputs, 0, name);
    checkAxes(name, x.shape, [attrs.axis]);
    const { prelude, loop, count } = reductionLoop(x.shape, [attrs.axis]);
    const body = [
      prelude,
      'let best = x0[base];',
      'let at = 0;',
      loop(`if (v ${better} best) { best = v; at = r; }`),
      'return at;',
    ].join('\n');
    return backend.run(
      { name, body, loopMax: count },
      [x],
      reducedShape(x.shape, [attrs.axis], attrs.keepDims),
      'int32',
    );
  });
}

/** Reductions over axes (sum, mean, max, min, population variance) and argmax/argmin along one axis. */
export const reduceKernels: GpuKernelDef[] = [
  ...['sum', 'mean', 'max', 'min', 'variance'].map(reduceKernel),
  argKernel('argmax'),
  argKernel('argmin'),
];
