import {
  assertShape,
  poolGeometry,
  type AvgPoolBackwardAttrs,
  type PoolAttrs,
  type WindowGeometry,
} from '@fbt/tensor';
import { coords } from '../codegen';
import { defineKernel, input, type GpuKernelDef } from './define';
import { inputForTap, insidePlane, outputForTap, overWindow } from './window';

/**
 * Lines that set `best` and `at` (the flat index within the plane starting at `plane`) to the
 * maximum of the window of output (`oy`, `ox`): padding is −∞, the first maximum in row-major
 * window order wins, and NaN wins over numbers — the CPU backend's rule.
 */
function windowArgmax(g: WindowGeometry, plane: string, oy: string, ox: string, suffix: string): string {
  const pos = [`y${suffix}`, `x${suffix}`] as const;
  const taps = [`wi${suffix}`, `wj${suffix}`] as const;
  return [
    `let best${suffix} = 0;`,
    `let at${suffix} = -1;`,
    overWindow(
      g,
      taps,
      [
        inputForTap(g, pos, [oy, ox], taps),
        `if (${insidePlane(g, pos)}) {`,
        `const v${suffix} = x0[${plane} + y${suffix} * ${g.w} + x${suffix}];`,
        `if (at${suffix} < 0 || v${suffix} > best${suffix} || v${suffix} !== v${suffix}) {`,
        `best${suffix} = v${suffix};`,
        `at${suffix} = y${suffix} * ${g.w} + x${suffix};`,
        '}',
        '}',
      ].join('\n'),
    ),
  ].join('\n');
}

/**
 * A forward pooling kernel `name`: one thread per element of the `[N, C, oh, ow]` output, where `c0`
 * is the image-and-channel plane, `plane` its first index in `x0` and (`c1`, `c2`) the output
 * position; `reduce` gives the lines that reduce that window and return the result.
 */
function poolForward(name: string, reduce: (g: WindowGeometry) => string[]): GpuKernelDef {
  return defineKernel<PoolAttrs>(name, (inputs, attrs, backend) => {
    const x = input(inputs, 0, name);
    const g = poolGeometry(name, x.shape, attrs);
    const body = [
      coords('i', [g.n * g.c, g.oh, g.ow], 'c'),
      `const plane = c0 * ${g.h * g.w};`,
      ...reduce(g),
    ];
    return backend.run(
      { name, body: body.join('\n'), loopMax: Math.max(g.kh, g.kw) },
      [x],
      [g.n, g.c, g.oh, g.ow],
    );
  });
}

/** Pooling kernels (max and average, padding counted for average) and their gradients, as gathers. */
export const poolKernels: GpuKernelDef[] = [
  poolForward('maxPool2d', (g) => [windowArgmax(g, 'plane', 'c1', 'c2', ''), 'return best;']),
  poolForward('avgPool2d', (g) => [
    'let acc = 0;',
    overWindow(
      g,
      ['wi', 'wj'],
      [
        inputForTap(g, ['y', 'x'], ['c1', 'c2'], ['wi', 'wj']),
        `if (${insidePlane(g, ['y', 'x'])}) { acc = acc + x0[plane + y * ${g.w} + x]; }`,
      ].join('\n'),
    ),
    `return acc / ${g.kh * g.kw};`,
  ]),
  defineKernel<PoolAttrs>('maxPool2dBackward', (inputs, attrs, backend) => {
    const dy = input(inputs, 0, 'maxPool2dBackward');
    const x = input(inputs, 1, 'maxPool2dBackward');
    const g = poolGeometry('maxPool2dBackward', x.shape, attrs);
    assertShape('maxPool2dBackward', 'dy', dy.shape, [g.n, g.c, g.oh, g.ow]);
    const body = [
      coords('i', [g.n * g.c, g.h, g.w], 'c'),
      `const plane = c0 * ${g.h * g.w};`,
      `const own = c1 * ${g.w} + c2;`,
      'let acc = 0;',
      overWindow(
        g,
        ['ki', 'kj'],
        [
          outputForTap(g, ['oy', 'ox'], ['c1', 'c2'], ['ki', 'kj']),
          'if (oyOk && oxOk) {',
          windowArgmax(g, 'plane', 'oy', 'ox', 'W'),
          `if (atW === own) { acc = acc + x1[(c0 * ${g.oh} + oy) * ${g.ow} + ox]; }`,
          '}',
        ].join('\n'),
      ),
      'return acc;',
    ].join('\n');
    // Input order in the program: x0 = x (read by windowArgmax), x1 = dy.
    return backend.run({ name: 'maxPool2dBackward', body, loopMax: Math.max(g.kh, g.kw) }, [x, dy], x.shape);
  }),
  defineKernel<AvgPoolBackwardAttrs>('avgPool2dBackward', (inputs, attrs, backend) => {
    const dy = input(inputs, 0, 'avgPool2dBackward');
    const g = poolGeometry('avgPool2dBackward', attrs.inputShape, attrs);
    assertShape('avgPool2dBackward', 'dy', dy.shape, [g.n, g.c, g.oh, g.ow]);
    const body = [
      coords('i', [g.n * g.c, g.h, g.w], 'c'),
      'let acc = 0;',
      overWindow(
        g,
        ['ki', 'kj'],
        [
          outputForTap(g, ['oy', 'ox'], ['c1', 'c2'], ['ki', 'kj']),
          `if (oyOk && oxOk) { acc = acc + x0[(c0 * ${g.oh} + oy) * ${g.ow} + ox]; }`,
        ].join('\n'),
      ),
      `return acc / ${g.kh * g.kw};`,
    ].join('\n');
    return backend.run(
      { name: 'avgPool2dBackward', body, loopMax: Math.max(g.kh, g.kw) },
      [dy],
      attrs.inputShape,
    );
  }),
];
