import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DType, defaultDevice, init, jit, nn, numpy as np, tree, valueAndGrad } from '@jax-js/jax';
import type { Contender, Run } from '../contender';
import type { TrainingSpec } from '../training';
import type { MatmulSpec, Workload } from '../workloads';

/** The installed jax-js version, read from its package.json (which its exports do not expose). */
export function jaxjsVersion(): string {
  const entry = createRequire(import.meta.url).resolve('@jax-js/jax');
  const manifest = join(dirname(entry), '..', 'package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

/** Starts jax-js's WebAssembly device (the only one besides its debugging `cpu` in Node) and makes it the default. */
export async function initJaxjs(): Promise<void> {
  await init('wasm');
  defaultDevice('wasm');
}

function matmulRun(spec: MatmulSpec): Run {
  const a = np.array(spec.a).reshape([spec.m, spec.k]);
  const b = np.array(spec.b).reshape([spec.k, spec.n]);
  // jax-js functions take ownership of their arguments: `.ref` keeps a and b for the next run.
  return () => [Float32Array.from(np.matmul(a.ref, b.ref).dataSync() as Float32Array)];
}

type Params = { w: np.Array[]; b: np.Array[] };

/**
 * An MLP training step (linear layers with ReLU between them, softmax cross-entropy averaged over
 * the batch, plain SGD) as one `jit`-compiled function of the parameters, `valueAndGrad` through it;
 * null for a spec with other layers (convolutions: the issue asks for the matmul and the MLP step).
 */
function mlpRun(spec: TrainingSpec): Run | null {
  if (!spec.layers.every((l) => l.kind === 'linear' || l.kind === 'relu')) return null;
  const linears = spec.layers.filter((l) => l.kind === 'linear');
  const batch = spec.inputShape[0]!;
  const x = np.array(spec.x).reshape([batch, spec.inputShape[1]!]);
  const y = nn.oneHot(np.array(spec.labels, { dtype: DType.Int32 }), spec.classes);
  // fbt's layout is PyTorch's, weight [out, in]: stored transposed here, so a layer is x·W + b.
  let params: Params = {
    w: linears.map((l, i) =>
      np
        .array(spec.params[2 * i]!)
        .reshape([l.out, l.in])
        .transpose(),
    ),
    b: linears.map((_, i) => np.array(spec.params[2 * i + 1]!)),
  };
  const loss = (p: Params, input: np.Array, target: np.Array): np.Array => {
    let h = input;
    for (let i = 0; i < p.w.length; i++) {
      h = np.matmul(h, p.w[i]!).add(p.b[i]!);
      if (i < p.w.length - 1) h = nn.relu(h);
    }
    return nn
      .logSoftmax(h)
      .mul(target)
      .sum()
      .mul(-1 / batch);
  };
  const step = jit((p: Params, input: np.Array, target: np.Array): [np.Array, Params] => {
    const [value, grads] = valueAndGrad(loss)(tree.ref(p), input, target);
    return [value, tree.map((w: np.Array, g: np.Array) => w.sub(g.mul(spec.lr)), p, grads) as Params];
  });
  return () => {
    const [value, next] = step(params, x.ref, y.ref);
    params = next;
    return [Float32Array.from(value.dataSync() as Float32Array)];
  };
}

/**
 * jax-js (`@jax-js/jax`, its WebAssembly device) as a peer on the matmul and the MLP training step.
 * Call `initJaxjs()` first.
 */
export const jaxjsContender: Contender = {
  name: 'jax-js-wasm',
  prepare({ spec }: Workload): Run | null {
    if (spec.kind === 'matmul') return matmulRun(spec);
    if (spec.kind === 'trainingStep') return mlpRun(spec);
    return null;
  },
};
