import type { KernelDef } from '../../../backend/interface';
import { assertShape, convGeometry, convOutputShape } from '../../../geometry/conv';
import { gemm, rowMajorView } from '../linalg/gemm';
import {
  windowGeometry,
  type Col2imAttrs,
  type ConvAttrs,
  type Conv2dBackpropFilterAttrs,
  type Conv2dBackpropInputAttrs,
  type Im2colAttrs,
} from '../../../geometry/window';
import { col2imImage, im2colImage } from '../linalg/im2col';
import { output } from '../io';
import { readFloat32 } from '../linalg/io';
import { ScratchBuffer } from '../linalg/scratch';

/** The per-image column matrix `[C·kh·kw, OH·OW]` shared by the conv kernels. */
const columns = new ScratchBuffer((size) => new Float32Array(size));

/** Adds `bias[o]` to every element of channel `o` of the `[N, O, area]` output `y`, in place. */
function addChannelBias(y: Float32Array, bias: Float32Array, channels: number, area: number): void {
  for (let plane = 0; plane * area < y.length; plane++) {
    const b = bias[plane % channels]!;
    for (let i = plane * area; i < (plane + 1) * area; i++) y[i] = y[i]! + b;
  }
}

/**
 * CPU kernels of the conv family. Each image goes through im2col (or col2im) and one GEMM:
 * forward `y[n] = W · cols(x[n])`, input gradient `dx[n] = col2im(Wᵀ · dy[n])`, filter gradient
 * `dW = Σₙ dy[n] · cols(x[n])ᵀ`, with W viewed as the `[O, C·kh·kw]` matrix.
 */
export const convKernels: KernelDef[] = [
  {
    kernelName: 'im2col',
    kernelFunc: ([x], attrs: Im2colAttrs, backend) => {
      const g = windowGeometry('im2col', x!.shape, attrs);
      const data = readFloat32(backend, x!, 'im2col');
      const area = g.oh * g.ow;
      const rows = g.c * g.kh * g.kw;
      const cols = new Float32Array(rows * g.n * area);
      for (let n = 0; n < g.n; n++) im2colImage(data, n, g, cols, n * area, g.n * area);
      return output(backend, cols, [rows, g.n * area]);
    },
  } satisfies KernelDef<Im2colAttrs>,
  {
    kernelName: 'col2im',
    kernelFunc: ([cols], attrs: Col2imAttrs, backend) => {
      const g = windowGeometry('col2im', attrs.inputShape, attrs);
      const area = g.oh * g.ow;
      assertShape('col2im', 'cols', cols!.shape, [g.c * g.kh * g.kw, g.n * area]);
      const data = readFloat32(backend, cols!, 'col2im');
      const x = new Float32Array(g.n * g.c * g.h * g.w);
      for (let n = 0; n < g.n; n++) col2imImage(data, n * area, g.n * area, g, x, n);
      return output(backend, x, attrs.inputShape);
    },
  } satisfies KernelDef<Col2imAttrs>,
  {
    kernelName: 'conv2d',
    kernelFunc: ([x, w, bias], attrs: ConvAttrs, backend) => {
      const g = convGeometry('conv2d', x!.shape, w!.shape, attrs);
      const xData = readFloat32(backend, x!, 'conv2d');
      const filter = rowMajorView(readFloat32(backend, w!, 'conv2d'), 0, g.c * g.kh * g.kw, false);
      const { depth, area } = sizes(g);
      const y = new Float32Array(g.n * g.outChannels * area);
      const cols = columns.get(depth * area);
      const colView = rowMajorView(cols, 0, area, false);
      for (let n = 0; n < g.n; n++) {
        im2colImage(xData, n, g, cols, 0, area);
        gemm(g.outChannels, area, depth, filter, colView, y, n * g.outChannels * area, area, false);
      }
      if (bias !== undefined) addChannelBias(y, readFloat32(backend, bias, 'conv2d'), g.outChannels, area);
      return output(backend, y, convOutputShape(g));
    },
  } satisfies KernelDef<ConvAttrs>,
  {
    kernelName: 'conv2dBackpropInput',
    kernelFunc: ([dy, w], attrs: Conv2dBackpropInputAttrs, backend) => {
      const op = 'conv2dBackpropInput';
      const g = convGeometry(op, attrs.inputShape, w!.shape, attrs);
      assertShape(op, 'dy', dy!.shape, convOutputShape(g));
      const dyData = readFloat32(backend, dy!, op);
      const { depth, area } = sizes(g);
      const filterT = rowMajorView(readFloat32(backend, w!, op), 0, depth, true);
      const dx = new Float32Array(g.n * g.c * g.h * g.w);
      const cols = columns.get(depth * area);
      for (let n = 0; n < g.n; n++) {
        const dyView = rowMajorView(dyData, n * g.outChannels * area, area, false);
        gemm(depth, area, g.outChannels, filterT, dyView, cols, 0, area, false);
        col2imImage(cols, 0, area, g, dx, n);
      }
      return output(backend, dx, attrs.inputShape);
    },
  } satisfies KernelDef<Conv2dBackpropInputAttrs>,
  {
    kernelName: 'conv2dBackpropFilter',
    kernelFunc: ([x, dy], attrs: Conv2dBackpropFilterAttrs, backend) => {
      const op = 'conv2dBackpropFilter';
      const g = convGeometry(op, x!.shape, attrs.filterShape, attrs);
      assertShape(op, 'dy', dy!.shape, convOutputShape(g));
      const xData = readFloat32(backend, x!, op);
      const dyData = readFloat32(backend, dy!, op);
      const { depth, area } = sizes(g);
      const dw = new Float32Array(g.outChannels * depth);
      const cols = columns.get(depth * area);
      const colsT = rowMajorView(cols, 0, area, true);
      for (let n = 0; n < g.n; n++) {
        im2colImage(xData, n, g, cols, 0, area);
        const dyView = rowMajorView(dyData, n * g.outChannels * area, area, false);
        gemm(g.outChannels, depth, area, dyView, colsT, dw, 0, depth, n > 0);
      }
      return output(backend, dw, attrs.filterShape);
    },
  } satisfies KernelDef<Conv2dBackpropFilterAttrs>,
];

/** The GEMM sizes of one image: `depth = C·kh·kw` (the shared dimension) and `area = OH·OW`. */
function sizes(g: { c: number; kh: number; kw: number; oh: number; ow: number }): {
  depth: number;
  area: number;
} {
  return { depth: g.c * g.kh * g.kw, area: g.oh * g.ow };
}
