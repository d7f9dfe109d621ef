import {
  assertShape,
  convGeometry,
  convOutputShape,
  windowGeometry,
  type Col2imAttrs,
  type Conv2dBackpropFilterAttrs,
  type Conv2dBackpropInputAttrs,
  type ConvAttrs,
  type Im2colAttrs,
  type WindowGeometry,
} from '@fbt/tensor';
import { coords } from '../codegen';
import { defineKernel, input, type GpuKernelDef } from './define';
import { inputForTap, insidePlane, loops, outputForTap, overWindow, type Axes } from './window';

/**
 * Lines that sum `term` into `acc` over the nested `vars` loops, for every tap whose input position
 * (`ih`, `iw`) — read by window output position `out` at tap offset `tap` — lies inside the plane,
 * and return `result` (default the sum): conv2d and its filter gradient are both such sums.
 */
function sumOverInputTaps(
  g: WindowGeometry,
  vars: readonly (readonly [string, number])[],
  out: Axes,
  tap: Axes,
  term: string,
  result = 'acc',
): string {
  return [
    'let acc = 0;',
    loops(
      vars,
      [
        inputForTap(g, ['ih', 'iw'], out, tap),
        `if (${insidePlane(g, ['ih', 'iw'])}) {`,
        `acc = acc + ${term};`,
        '}',
      ].join('\n'),
    ),
    `return ${result};`,
  ].join('\n');
}

/**
 * Convolution kernels in NCHW/OIHW, each as a gather (one thread per output element, no atomics):
 * im2col/col2im, direct conv2d, and its input and filter gradients.
 */
export const convKernels: GpuKernelDef[] = [
  defineKernel<Im2colAttrs>('im2col', (inputs, attrs, backend) => {
    const x = input(inputs, 0, 'im2col');
    const g = windowGeometry('im2col', x.shape, attrs);
    const body = [
      coords('i', [g.c, g.kh, g.kw, g.n, g.oh, g.ow], 'c'),
      inputForTap(g, ['ih', 'iw'], ['c4', 'c5'], [`c1 * ${g.dh}`, `c2 * ${g.dw}`]),
      `if (ih < 0 || ih >= ${g.h} || iw < 0 || iw >= ${g.w}) { return 0; }`,
      `return x0[((c3 * ${g.c} + c0) * ${g.h} + ih) * ${g.w} + iw];`,
    ].join('\n');
    return backend.run({ name: 'im2col', body }, [x], [g.c * g.kh * g.kw, g.n * g.oh * g.ow]);
  }),
  defineKernel<Col2imAttrs>('col2im', (inputs, attrs, backend) => {
    const cols = input(inputs, 0, 'col2im');
    const g = windowGeometry('col2im', attrs.inputShape, attrs);
    const columns = g.n * g.oh * g.ow;
    assertShape('col2im', 'cols', cols.shape, [g.c * g.kh * g.kw, columns]);
    const body = [
      coords('i', attrs.inputShape, 'c'),
      'let acc = 0;',
      overWindow(
        g,
        ['ki', 'kj'],
        [
          outputForTap(g, ['oy', 'ox'], ['c2', 'c3'], [`ki * ${g.dh}`, `kj * ${g.dw}`]),
          `if (oyOk && oxOk) { acc = acc + x0[((c1 * ${g.kh} + ki) * ${g.kw} + kj) * ${columns} + (c0 * ${g.oh} + oy) * ${g.ow} + ox]; }`,
        ].join('\n'),
      ),
      'return acc;',
    ].join('\n');
    return backend.run({ name: 'col2im', body, loopMax: Math.max(g.kh, g.kw) }, [cols], attrs.inputShape);
  }),
  defineKernel<ConvAttrs>('conv2d', (inputs, attrs, backend) => {
    const x = input(inputs, 0, 'conv2d');
    const w = input(inputs, 1, 'conv2d');
    const bias = inputs[2];
    const g = convGeometry('conv2d', x.shape, w.shape, attrs);
    const body = [
      coords('i', convOutputShape(g), 'c'),
      sumOverInputTaps(
        g,
        [
          ['ch', g.c],
          ['ki', g.kh],
          ['kj', g.kw],
        ],
        ['c2', 'c3'],
        [`ki * ${g.dh}`, `kj * ${g.dw}`],
        `x0[((c0 * ${g.c} + ch) * ${g.h} + ih) * ${g.w} + iw] * x1[((c1 * ${g.c} + ch) * ${g.kh} + ki) * ${g.kw} + kj]`,
        bias === undefined ? 'acc' : 'acc + x2[c1]',
      ),
    ].join('\n');
    return backend.run(
      { name: 'conv2d', body, loopMax: Math.max(g.c, g.kh, g.kw) },
      bias === undefined ? [x, w] : [x, w, bias],
      convOutputShape(g),
    );
  }),
  defineKernel<Conv2dBackpropInputAttrs>('conv2dBackpropInput', (inputs, attrs, backend) => {
    const dy = input(inputs, 0, 'conv2dBackpropInput');
    const w = input(inputs, 1, 'conv2dBackpropInput');
    const g = convGeometry('conv2dBackpropInput', attrs.inputShape, w.shape, attrs);
    const o = g.outChannels;
    assertShape('conv2dBackpropInput', 'dy', dy.shape, convOutputShape(g));
    const body = [
      coords('i', attrs.inputShape, 'c'),
      'let acc = 0;',
      overWindow(
        g,
        ['ki', 'kj'],
        [
          outputForTap(g, ['oy', 'ox'], ['c2', 'c3'], [`ki * ${g.dh}`, `kj * ${g.dw}`]),
          'if (oyOk && oxOk) {',
          loops(
            [['oc', o]],
            `acc = acc + x0[((c0 * ${o} + oc) * ${g.oh} + oy) * ${g.ow} + ox] * x1[((oc * ${g.c} + c1) * ${g.kh} + ki) * ${g.kw} + kj];`,
          ),
          '}',
        ].join('\n'),
      ),
      'return acc;',
    ].join('\n');
    return backend.run(
      { name: 'conv2dBackpropInput', body, loopMax: Math.max(o, g.kh, g.kw) },
      [dy, w],
      attrs.inputShape,
    );
  }),
  defineKernel<Conv2dBackpropFilterAttrs>('conv2dBackpropFilter', (inputs, attrs, backend) => {
    const x = input(inputs, 0, 'conv2dBackpropFilter');
    const dy = input(inputs, 1, 'conv2dBackpropFilter');
    const g = convGeometry('conv2dBackpropFilter', x.shape, attrs.filterShape, attrs);
    const o = g.outChannels;
    assertShape('conv2dBackpropFilter', 'dy', dy.shape, convOutputShape(g));
    const body = [
      coords('i', attrs.filterShape, 'c'),
      sumOverInputTaps(
        g,
        [
          ['b', g.n],
          ['oy', g.oh],
          ['ox', g.ow],
        ],
        ['oy', 'ox'],
        [`c2 * ${g.dh}`, `c3 * ${g.dw}`],
        `x1[((b * ${o} + c0) * ${g.oh} + oy) * ${g.ow} + ox] * x0[((b * ${g.c} + c1) * ${g.h} + ih) * ${g.w} + iw]`,
      ),
    ].join('\n');
    return backend.run(
      { name: 'conv2dBackpropFilter', body, loopMax: Math.max(g.n, g.oh, g.ow) },
      [x, dy],
      attrs.filterShape,
    );
  }),
];
