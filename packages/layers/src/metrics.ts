import {
  ArgumentError,
  DTypeError,
  ShapeError,
  checkOptions,
  formatShape,
  tensor,
  type Tensor,
} from '@fbt/tensor';

/** Options of `accuracy` and `confusionMatrix`. */
export interface PredictionOptions {
  /**
   * For a single score column (`[N, 1]` logits or probabilities), the class is `score >= threshold`
   * (1) or 0. Default 0, right for logits; use 0.5 for probabilities.
   */
  readonly threshold?: number;
}

/**
 * Predicted class per row, from `[N, C]` scores (argmax, C ≥ 2), `[N, 1]` scores (thresholded) or
 * `[N]` class indices (int32, or float32 holding integers).
 */
export function predictedClasses(
  predictions: Tensor,
  options: PredictionOptions = {},
  op = 'predictedClasses',
): Int32Array {
  checkOptions(options, { threshold: true }, op);
  const values = predictions.dataSync();
  if (predictions.rank === 1) {
    const out = new Int32Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (!Number.isInteger(v))
        throw new ArgumentError(`${op}: rank-1 predictions must be class indices; got ${v} at ${i}`);
      out[i] = v;
    }
    return out;
  }
  if (predictions.rank !== 2 || predictions.dtype !== 'float32') {
    throw new ShapeError(
      `${op}: predictions of dtype ${predictions.dtype} and shape ${formatShape(predictions.shape)}; expected float32 [N, C] scores or [N] class indices`,
    );
  }
  const [n, c] = predictions.shape as [number, number];
  const out = new Int32Array(n);
  if (c === 1) {
    const threshold = options.threshold ?? 0;
    for (let i = 0; i < n; i++) out[i] = values[i]! >= threshold ? 1 : 0;
    return out;
  }
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < c; j++) if (values[i * c + j]! > values[i * c + best]!) best = j;
    out[i] = best;
  }
  return out;
}

function labelArray(labels: Tensor, n: number, op: string): Int32Array {
  if (labels.dtype !== 'int32') {
    throw new DTypeError(`${op}: labels are ${labels.dtype}; expected int32 class indices`);
  }
  if (labels.size !== n || labels.rank > 2 || (labels.rank === 2 && labels.shape[1] !== 1)) {
    throw new ShapeError(
      `${op}: labels of shape ${formatShape(labels.shape)} for ${n} predictions; expected [${n}]`,
    );
  }
  return labels.dataSync() as Int32Array;
}

/**
 * Fraction of rows whose predicted class equals the label (see `predictedClasses` for the accepted
 * prediction forms). Labels are int32 `[N]`.
 *
 * @example
 * accuracy(model.call(x), yTest); // 0.97
 */
export function accuracy(predictions: Tensor, labels: Tensor, options: PredictionOptions = {}): number {
  const predicted = predictedClasses(predictions, options, 'accuracy');
  const truth = labelArray(labels, predicted.length, 'accuracy');
  if (predicted.length === 0) throw new ArgumentError('accuracy: no predictions; expected at least one row');
  let correct = 0;
  for (let i = 0; i < predicted.length; i++) if (predicted[i] === truth[i]) correct++;
  return correct / predicted.length;
}

/**
 * The `[K, K]` int32 confusion matrix: entry `[t, p]` counts the rows with label `t` predicted as
 * `p` (rows are true classes, as in scikit-learn). Labels and predictions must lie in `[0, K)`.
 */
export function confusionMatrix(
  predictions: Tensor,
  labels: Tensor,
  numClasses: number,
  options: PredictionOptions = {},
): Tensor {
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new ArgumentError(`confusionMatrix: numClasses ${numClasses}; expected a positive integer`);
  }
  const predicted = predictedClasses(predictions, options, 'confusionMatrix');
  const truth = labelArray(labels, predicted.length, 'confusionMatrix');
  const counts = new Int32Array(numClasses * numClasses);
  for (let i = 0; i < predicted.length; i++) {
    const t = truth[i]!;
    const p = predicted[i]!;
    if (t < 0 || t >= numClasses || p < 0 || p >= numClasses) {
      throw new ArgumentError(
        `confusionMatrix: row ${i} has label ${t} and prediction ${p}; expected classes in [0, ${numClasses})`,
      );
    }
    counts[t * numClasses + p]!++;
  }
  return tensor(counts, [numClasses, numClasses]);
}
