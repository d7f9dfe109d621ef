import * as tf from '@tensorflow/tfjs-core';
// The core package registers no gradients by itself (the `@tensorflow/tfjs` bundle does this).
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import type { Contender, Run } from '../contender';
import { paramShapes, type LayerSpec, type TrainingSpec } from '../training';
import type { ConvSpec, MatmulSpec, Workload } from '../workloads';

/** TensorFlow.js backends compared as peers. */
export type TfjsBackend = 'cpu' | 'wasm';

/**
 * Makes `name` the active TensorFlow.js backend. Once a backend is initialised (see
 * `initTfjs`), `setBackend` switches synchronously before its first `await`.
 */
function use(name: TfjsBackend): void {
  if (tf.getBackend() !== name) void tf.setBackend(name);
}

/** Initialises TensorFlow.js's cpu and wasm backends (the wasm one loads its module asynchronously). */
export async function initTfjs(): Promise<void> {
  for (const name of ['wasm', 'cpu'] as const) {
    if (!(await tf.setBackend(name))) throw new Error(`TensorFlow.js backend '${name}' failed to initialise`);
  }
  await tf.ready();
}

/** The values of an `[N, C, H, W]` array as `[N, H, W, C]`, or back (`toNchw`). */
function permute4(
  values: Float32Array,
  [d0, d1, d2, d3]: readonly number[],
  perm: readonly number[],
): Float32Array {
  return tf.tidy(
    () =>
      tf.transpose(tf.tensor4d(values, [d0!, d1!, d2!, d3!]), perm as number[]).dataSync() as Float32Array,
  );
}
const NCHW_TO_NHWC = [0, 2, 3, 1];
const NHWC_TO_NCHW = [0, 3, 1, 2];
const OIHW_TO_HWIO = [2, 3, 1, 0];
const HWIO_TO_OIHW = [3, 2, 0, 1];

/** Reads NHWC (or HWIO) results back and reorders them to fbt's NCHW (OIHW) in plain loops. */
function toFbtLayout(t: tf.Tensor, perm: readonly number[]): Float32Array {
  const shape = t.shape;
  const values = t.dataSync() as Float32Array;
  const out = new Float32Array(values.length);
  const strides = [shape[1]! * shape[2]! * shape[3]!, shape[2]! * shape[3]!, shape[3]!, 1];
  const outShape = perm.map((p) => shape[p]!);
  let o = 0;
  for (let a = 0; a < outShape[0]!; a++)
    for (let b = 0; b < outShape[1]!; b++)
      for (let c = 0; c < outShape[2]!; c++)
        for (let d = 0; d < outShape[3]!; d++)
          out[o++] =
            values[
              a * strides[perm[0]!]! +
                b * strides[perm[1]!]! +
                c * strides[perm[2]!]! +
                d * strides[perm[3]!]!
            ]!;
  return out;
}

/**
 * A 2-D convolution NHWC x HWIO. TensorFlow.js 4.22's wasm backend has no `Conv2DBackpropFilter`
 * kernel, so there the convolution runs as a depth-1 `conv3d` (whose gradients it has); the cpu
 * backend uses `conv2d`.
 */
function conv(backend: TfjsBackend, x: tf.Tensor4D, filter: tf.Tensor4D, pad: 'same' | 'valid'): tf.Tensor4D {
  if (backend === 'cpu') return tf.conv2d(x, filter, 1, pad);
  const [n, h, w, c] = x.shape;
  const [kh, kw, , o] = filter.shape;
  const y = tf.conv3d(
    tf.reshape(x, [n, 1, h, w, c]) as tf.Tensor5D,
    tf.reshape(filter, [1, kh, kw, c, o]) as tf.Tensor5D,
    1,
    pad,
  );
  return tf.reshape(y, [n, y.shape[2], y.shape[3], o]);
}

function matmulRun(backend: TfjsBackend, spec: MatmulSpec): Run {
  const a = tf.tensor2d(spec.a, [spec.m, spec.k]);
  const b = tf.tensor2d(spec.b, [spec.k, spec.n]);
  return () => {
    use(backend);
    return tf.tidy(() => [tf.matMul(a, b).dataSync() as Float32Array]);
  };
}

function convRun(backend: TfjsBackend, spec: ConvSpec): Run {
  const x = tf.tensor4d(permute4(spec.x, spec.xShape, NCHW_TO_NHWC), [
    spec.xShape[0],
    spec.xShape[2],
    spec.xShape[3],
    spec.xShape[1],
  ]);
  const w = tf.tensor4d(permute4(spec.w, spec.wShape, OIHW_TO_HWIO), [
    spec.wShape[2],
    spec.wShape[3],
    spec.wShape[1],
    spec.wShape[0],
  ]);
  const dy = tf.tensor4d(permute4(spec.dy, spec.yShape, NCHW_TO_NHWC), [
    spec.yShape[0],
    spec.yShape[2],
    spec.yShape[3],
    spec.yShape[1],
  ]);
  if (spec.kind === 'conv2dForward') {
    return () => {
      use(backend);
      return tf.tidy(() => [toFbtLayout(conv(backend, x, w, 'valid'), NHWC_TO_NCHW)]);
    };
  }
  // The two gradient kernels alone (no forward pass). The wasm backend lacks Conv2DBackpropFilter,
  // so there the filter gradient is the depth-1 Conv3DBackpropFilterV2.
  const [n, h, wd, c] = x.shape;
  const [kh, kw, , o] = w.shape;
  const strides: [number, number] = [1, 1];
  return () => {
    use(backend);
    return tf.tidy(() => {
      const engine = tf.engine();
      const dx = engine.runKernel(
        'Conv2DBackpropInput',
        { dy, filter: w },
        {
          strides,
          pad: 'valid',
          dataFormat: 'NHWC',
          inputShape: x.shape,
        },
      ) as tf.Tensor;
      const dw =
        backend === 'cpu'
          ? (engine.runKernel(
              'Conv2DBackpropFilter',
              { x, dy },
              {
                strides,
                pad: 'valid',
                dataFormat: 'NHWC',
                filterShape: w.shape,
              },
            ) as tf.Tensor)
          : tf.reshape(
              engine.runKernel(
                'Conv3DBackpropFilterV2',
                {
                  x: tf.reshape(x, [n, 1, h, wd, c]),
                  dy: tf.reshape(dy, [n, 1, dy.shape[1], dy.shape[2], o]),
                },
                { strides: [1, 1, 1], pad: 'valid', filterShape: [1, kh, kw, c, o] },
              ) as tf.Tensor,
              [kh, kw, c, o],
            );
      return [toFbtLayout(dx, NHWC_TO_NCHW), toFbtLayout(dw, HWIO_TO_OIHW)];
    });
  };
}

/** The model of `spec` as a TensorFlow.js function of NHWC input and variables. */
function trainingRun(backend: TfjsBackend, spec: TrainingSpec): Run {
  const shapes = spec.layers.flatMap(paramShapes);
  const variables = spec.params.map((values, i) => {
    const shape = shapes[i]!;
    // Linear [out, in] -> [in, out]; conv OIHW -> HWIO.
    if (shape.length === 2) return tf.variable(tf.transpose(tf.tensor2d(values, [shape[0]!, shape[1]!])));
    if (shape.length === 4)
      return tf.variable(
        tf.tensor4d(permute4(values, shape, OIHW_TO_HWIO), [shape[2]!, shape[3]!, shape[1]!, shape[0]!]),
      );
    return tf.variable(tf.tensor1d(values));
  });
  const input =
    spec.inputShape.length === 4
      ? tf.tensor4d(permute4(spec.x, spec.inputShape, NCHW_TO_NHWC), [
          spec.inputShape[0]!,
          spec.inputShape[2]!,
          spec.inputShape[3]!,
          spec.inputShape[1]!,
        ])
      : tf.tensor2d(spec.x, [spec.inputShape[0]!, spec.inputShape[1]!]);
  const labels = tf.oneHot(tf.tensor1d(spec.labels, 'int32'), spec.classes);
  const optimizer = tf.train.sgd(spec.lr);
  const forward = (): tf.Scalar => {
    let h: tf.Tensor = input;
    let v = 0;
    for (const layer of spec.layers as LayerSpec[]) {
      if (layer.kind === 'linear')
        h = tf.add(tf.matMul(h as tf.Tensor2D, variables[v++]! as tf.Tensor2D), variables[v++]!);
      else if (layer.kind === 'conv') {
        const w = variables[v++]! as tf.Tensor4D;
        h = tf.add(conv(backend, h as tf.Tensor4D, w, layer.padding > 0 ? 'same' : 'valid'), variables[v++]!);
      } else if (layer.kind === 'relu') h = tf.relu(h);
      else if (layer.kind === 'avgPool') h = tf.avgPool(h as tf.Tensor4D, layer.size, layer.size, 'valid');
      // Flatten in fbt's NCHW order, so the first linear layer's weights mean the same thing.
      else h = tf.reshape(tf.transpose(h, NHWC_TO_NCHW), [h.shape[0]!, -1]);
    }
    return tf.losses.softmaxCrossEntropy(labels, h as tf.Tensor2D) as tf.Scalar;
  };
  return () => {
    use(backend);
    return tf.tidy(() => [optimizer.minimize(forward, true)!.dataSync() as Float32Array]);
  };
}

/**
 * TensorFlow.js 4.22 on its `cpu` or `wasm` backend (single-threaded in Node), as a peer in the
 * same process. It works in NHWC/HWIO, its native layout: inputs are reordered once in `prepare`,
 * and convolution outputs are reordered back to NCHW inside the run (a plain copy) for the
 * output check. Call `initTfjs()` first.
 */
export function tfjsContender(backend: TfjsBackend): Contender {
  return {
    name: `tfjs-${backend}`,
    prepare({ spec }: Workload): Run | null {
      use(backend);
      switch (spec.kind) {
        case 'matmul':
          return matmulRun(backend, spec);
        case 'conv2dForward':
        case 'conv2dBackward':
          return convRun(backend, spec);
        case 'trainingStep':
          return trainingRun(backend, spec);
        default:
          return null; // the binary workloads and their MLP twin are fbt's alone
      }
    },
  };
}
