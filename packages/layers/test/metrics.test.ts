import { describe, expect, it } from 'vitest';
import { DTypeError, ShapeError, tensor } from '@fbt/tensor';
import { accuracy, confusionMatrix } from '../src';

const labels = tensor(new Int32Array([0, 2, 1, 2]), [4]);

describe('metrics', () => {
  it('computes accuracy from logits, single scores and class indices', () => {
    const logits = tensor([
      [3, 1, 0],
      [0, 1, 2],
      [0, 1, 5],
      [0, 4, 2],
    ]);
    expect(accuracy(logits, labels)).toBe(0.5);
    expect(accuracy(tensor(new Int32Array([0, 2, 1, 1]), [4]), labels)).toBe(0.75);
    const binary = tensor(new Int32Array([1, 0, 1]), [3]);
    expect(accuracy(tensor([[0.2], [-1], [0]]), binary)).toBe(1);
    expect(accuracy(tensor([[0.7], [0.4], [0.2]]), binary, { threshold: 0.5 })).toBe(2 / 3);
  });

  it('counts a confusion matrix with true classes as rows', () => {
    const predicted = tensor(new Int32Array([0, 2, 2, 1]), [4]);
    expect(confusionMatrix(predicted, labels, 3).toArray()).toEqual([
      [1, 0, 0],
      [0, 0, 1],
      [0, 1, 1],
    ]);
  });

  it('rejects bad labels and shapes', () => {
    expect(() => accuracy(tensor([[1, 2]]), tensor([0]))).toThrow(DTypeError);
    expect(() => accuracy(tensor([[1, 2]]), labels)).toThrow(
      /labels of shape \[4\] for 1 predictions; expected \[1\]/,
    );
    expect(() => accuracy(tensor([[[1]]]), labels)).toThrow(ShapeError);
    expect(() => accuracy(tensor([0.5, 1]), tensor(new Int32Array([0, 1]), [2]))).toThrow(
      /class indices; got 0.5/,
    );
    expect(() => confusionMatrix(tensor(new Int32Array([0, 3, 1, 1]), [4]), labels, 3)).toThrow(
      /row 1 has label 2 and prediction 3/,
    );
  });
});
