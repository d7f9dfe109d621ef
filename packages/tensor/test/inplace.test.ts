import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addInPlace, assignInPlace, fillInPlace, getBackend, scaleInPlace, setBackend, tensor } from '../src';
import { values } from './helpers';

describe('in-place ops', () => {
  // The cpu backend's storage is the array dataSync() returns, so identity shows the write is in place.
  let previous = getBackend();
  beforeAll(() => {
    previous = getBackend();
    setBackend('cpu');
  });
  afterAll(() => setBackend(previous));
  it('addInPlace writes target + alpha * other into the same array', () => {
    const t = tensor([1, 2, 3]);
    const before = t.dataSync();
    const dataId = t.dataId;
    expect(addInPlace(t, tensor([10, 20, 30]), 0.5)).toBe(t);
    expect(t.dataSync()).toBe(before);
    expect(t.dataId).toBe(dataId);
    expect(values(t)).toEqual([6, 12, 18]);
  });
  it('addInPlace defaults alpha to 1 and broadcasts other', () => {
    const t = tensor([
      [1, 2],
      [3, 4],
    ]);
    const before = t.dataSync();
    addInPlace(t, tensor([10, 20]));
    expect(t.dataSync()).toBe(before);
    expect(values(t)).toEqual([11, 22, 13, 24]);
  });
  it('scaleInPlace, assignInPlace and fillInPlace keep the array', () => {
    const t = tensor([1, -2]);
    const before = t.dataSync();
    scaleInPlace(t, -3);
    expect(values(t)).toEqual([-3, 6]);
    assignInPlace(t, tensor([7, 8]));
    expect(values(t)).toEqual([7, 8]);
    assignInPlace(t, tensor(5));
    expect(values(t)).toEqual([5, 5]);
    fillInPlace(t, 0.25);
    expect(values(t)).toEqual([0.25, 0.25]);
    expect(t.dataSync()).toBe(before);
  });
  it('does not touch the other operand', () => {
    const t = tensor([1, 1]);
    const o = tensor([2, 3]);
    addInPlace(t, o, 2);
    expect(values(o)).toEqual([2, 3]);
    expect(values(t)).toEqual([5, 7]);
  });
});
