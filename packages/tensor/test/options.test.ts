import { describe, expect, it } from 'vitest';
import {
  ArgumentError,
  avgPool2d,
  checkOptions,
  col2im,
  conv2d,
  im2col,
  matmul,
  maxPool2d,
  ones,
  registerWasmBackend,
  type Conv2dOptions,
} from '../src';

describe('checkOptions', () => {
  const keys = { stride: true, padding: true, dilation: true } as const;

  it('accepts undefined, an empty object and known keys', () => {
    expect(() => checkOptions<Conv2dOptions>(undefined, keys, 'op')).not.toThrow();
    expect(() => checkOptions<Conv2dOptions>({}, keys, 'op')).not.toThrow();
    expect(() => checkOptions<Conv2dOptions>({ stride: 1, padding: 0 }, keys, 'op')).not.toThrow();
  });

  it('names the unknown key and lists the valid ones', () => {
    const bad = { stride: 1, bias: 2 } as Conv2dOptions;
    expect(() => checkOptions(bad, keys, 'op')).toThrow(ArgumentError);
    expect(() => checkOptions(bad, keys, 'op')).toThrow(
      "op: unknown option 'bias'; valid options: stride, padding, dilation",
    );
  });

  it('refuses options that are not a plain object', () => {
    for (const bad of [null, 3, 'x', [1]]) {
      expect(() => checkOptions(bad as unknown as Conv2dOptions, keys, 'op')).toThrow(
        /op: options is .*; expected an object with keys among stride, padding, dilation/,
      );
    }
  });
});

describe('ops refuse unknown option keys', () => {
  const x = ones([1, 1, 4, 4]);
  const w = ones([1, 1, 3, 3]);
  const cases: [string, () => unknown][] = [
    ['conv2d', () => conv2d(x, w, { groups: 2 } as Conv2dOptions)],
    ['im2col', () => im2col(x, { kernelSize: 2, pad: 1 } as never)],
    ['col2im', () => col2im(ones([4, 9]), { kernelSize: 2, inputShape: [1, 1, 4, 4], strides: 1 } as never)],
    ['maxPool2d', () => maxPool2d(x, { kernelSize: 2, ceilMode: true } as never)],
    ['avgPool2d', () => avgPool2d(x, { kernelSize: 2, countIncludePad: false } as never)],
    ['matmul', () => matmul(ones([2, 2]), ones([2, 2]), { transpose_b: true } as never)],
    ['registerWasmBackend', () => registerWasmBackend({ variant: 'simd' } as never)],
  ];
  for (const [op, call] of cases) {
    it(op, () => {
      expect(call).toThrow(new RegExp(`^${op}: unknown option '\\w+'; valid options: `));
    });
  }
});
