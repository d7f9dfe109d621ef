import { describe, expect, it } from 'vitest';
import { Tensor } from '../src';

describe('functional API', () => {
  it('keeps ops off the Tensor class: add(a, b), never a.add(b)', () => {
    const allowed = [
      'constructor',
      'rank',
      'isDisposed',
      'dataSync',
      'data',
      'item',
      'toArray',
      'dispose',
      'assertLive',
      'toString',
    ];
    expect(Object.getOwnPropertyNames(Tensor.prototype).sort()).toEqual([...allowed].sort());
  });
});
