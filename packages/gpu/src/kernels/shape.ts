import { ArgumentError, sizeOf, stridesOf, type Shape, type TensorInfo } from '@fbt/tensor';
import type { GpuBackend } from '../backend';
import { coords, dot } from '../codegen';
import { defineKernel, input, type GpuKernelDef } from './define';
import { mapBody } from './map';

/** Most inputs one concat program reads (WebGL guarantees 8 texture units per shader). */
const MAX_CONCAT_INPUTS = 6;

/** A gather program: output element `i` reads input 0 at the offset `offset` (over coordinates `c0 …`). */
function copyProgram(
  backend: GpuBackend,
  op: string,
  x: TensorInfo,
  outShape: Shape,
  offset: (c: string[]) => string,
): TensorInfo {
  const c = outShape.map((_, k) => `c${k}`);
  const body = [coords('i', outShape, 'c'), `return x0[${offset(c)}];`].join('\n');
  return backend.run({ name: op, body }, [x], outShape, x.dtype);
}

/** Throws like the CPU kernels when an index (read back from the device) is outside `[0, size)`. */
export function assertIndices(op: string, values: ArrayLike<number>, size: number, what: string): void {
  for (let k = 0; k < values.length; k++) {
    const v = values[k]!;
    if (!(v >= 0 && v < size)) {
      throw new ArgumentError(
        `${op}: ${what} ${v} at position ${k} is out of range; expected an integer in [0, ${size})`,
      );
    }
  }
}

function concat(backend: GpuBackend, parts: readonly TensorInfo[], axis: number): TensorInfo {
  const nonEmpty = parts.filter((p) => sizeOf(p.shape) > 0);
  const first = parts[0]!;
  const total = parts.reduce((s, p) => s + p.shape[axis]!, 0);
  const outShape = first.shape.map((d, k) => (k === axis ? total : d));
  if (nonEmpty.length > MAX_CONCAT_INPUTS) {
    const head = concat(backend, nonEmpty.slice(0, MAX_CONCAT_INPUTS), axis);
    const rest = concat(backend, [head, ...nonEmpty.slice(MAX_CONCAT_INPUTS)], axis);
    backend.disposeData(head.dataId);
    return rest;
  }
  const lines = [coords('i', outShape, 'c')];
  let start = 0;
  nonEmpty.forEach((p, k) => {
    const end = start + p.shape[axis]!;
    const strides = stridesOf(p.shape);
    const at = dot(
      outShape.map((_, d) => (d === axis ? `c${d} - ${start}` : `c${d}`)),
      strides,
    );
    lines.push(
      k === nonEmpty.length - 1 ? `return x${k}[${at}];` : `if (c${axis} < ${end}) { return x${k}[${at}]; }`,
    );
    start = end;
  });
  if (nonEmpty.length === 0) lines.push('return 0;');
  return backend.run({ name: 'concat', body: lines.join('\n') }, nonEmpty, outShape, first.dtype);
}

/** Shape kernels: reshape, transpose, broadcastTo, slice, concat, gather, oneHot. */
export const shapeKernels: GpuKernelDef[] = [
  defineKernel<{ shape: number[] }>('reshape', (inputs, attrs, backend) => {
    const x = input(inputs, 0, 'reshape');
    return backend.run({ name: 'reshape', body: 'return x0[i];' }, [x], attrs.shape, x.dtype);
  }),
  defineKernel<{ perm: number[] }>('transpose', (inputs, { perm }, backend) => {
    const x = input(inputs, 0, 'transpose');
    const strides = stridesOf(x.shape);
    const outShape = perm.map((p) => x.shape[p]!);
    return copyProgram(backend, 'transpose', x, outShape, (c) =>
      dot(
        c,
        perm.map((p) => strides[p]!),
      ),
    );
  }),
  defineKernel<{ shape: number[] }>('broadcastTo', (inputs, attrs, backend) => {
    const x = input(inputs, 0, 'broadcastTo');
    return backend.run(
      { name: 'broadcastTo', body: mapBody([x], attrs.shape, 'v0') },
      [x],
      attrs.shape,
      x.dtype,
    );
  }),
  defineKernel<{ begin: number[]; size: number[] }>('slice', (inputs, { begin, size }, backend) => {
    const x = input(inputs, 0, 'slice');
    const strides = stridesOf(x.shape);
    return copyProgram(backend, 'slice', x, size, (c) =>
      dot(
        c.map((ck, k) => (begin[k] === 0 ? ck : `${ck} + ${begin[k]}`)),
        strides,
      ),
    );
  }),
  defineKernel<{ axis: number }>('concat', (inputs, { axis }, backend) => concat(backend, inputs, axis)),
  defineKernel<{ axis: number }>('gather', (inputs, { axis }, backend) => {
    const x = input(inputs, 0, 'gather');
    const indices = input(inputs, 1, 'gather');
    assertIndices('gather', backend.readSync(indices.dataId), x.shape[axis]!, `index along axis ${axis}`);
    const outShape = [...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)];
    const strides = stridesOf(x.shape);
    const r = indices.shape.length;
    const c = outShape.map((_, k) => `c${k}`);
    const indexAt = dot(c.slice(axis, axis + r), stridesOf(indices.shape));
    const body = [
      coords('i', outShape, 'c'),
      `const g = Math.floor(x1[${indexAt}] + 0.5);`,
      `return x0[${dot([...c.slice(0, axis), 'g', ...c.slice(axis + r)], strides)}];`,
    ].join('\n');
    return backend.run({ name: 'gather', body }, [x, indices], outShape, x.dtype);
  }),
  defineKernel<{ depth: number }>('oneHot', (inputs, { depth }, backend) => {
    const labels = input(inputs, 0, 'oneHot');
    assertIndices('oneHot', backend.readSync(labels.dataId), depth, 'label');
    const body = [
      `const row = fbtIdiv(i, ${depth});`,
      `return Math.floor(x0[row] + 0.5) === i - row * ${depth} ? 1 : 0;`,
    ].join('\n');
    return backend.run({ name: 'oneHot', body }, [labels], [...labels.shape, depth]);
  }),
];
