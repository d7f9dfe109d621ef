import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { backward } from '@fbt/autograd';
import { glAvailability, registerGpuBackend } from '@fbt/gpu';
import { backendTestOptions, glAvailable } from '../../../test-utils/gl';
import { Rng, mul, registerWasmBackend, sum, withBackend, type Tensor } from '@fbt/tensor';
import {
  Activation,
  Embedding,
  LayerNorm,
  MultiheadAttention,
  TransformerEncoderLayer,
  loadSafetensors,
  type Module,
  type StateDict,
} from '../src';
import { values } from './helpers';

/*
 * Parity with PyTorch 1.13 through fixtures/attention.safetensors (written by
 * fixtures/make_attention_fixtures.py): outputs, head-averaged attention weights, and the gradients
 * of sum(out · r) with respect to every float input and every parameter, on every backend.
 */

if (!registerWasmBackend()) throw new Error('attention-torch test: this engine has no WebAssembly SIMD');
const GL = glAvailable('attention-torch test (gpu backend)', glAvailability());
if (GL) registerGpuBackend({ name: 'gpu', onFallback: () => undefined });
const BACKENDS = GL ? ['cpu', 'wasm', 'gpu'] : ['cpu', 'wasm'];

/**
 * |got − want| ≤ TOLERANCE·(1 + |want|) on every backend. All compute in float32 like PyTorch,
 * differing in the order of sums, in erf (Abramowitz–Stegun, |error| < 1.5e-7) and, on the gpu, in
 * the shader's float32 `exp` and reciprocal. Worst measured: 4.3e-6 on cpu, 3.4e-6 on wasm, 5.6e-6
 * on gpu (Mesa llvmpipe), all in the norm1.weight gradient of the pre-norm batch-first layer.
 */
const TOLERANCE = 1e-5;

const BYTES = new Uint8Array(readFileSync(new URL('./fixtures/attention.safetensors', import.meta.url)));

/** One fixture case, loaded on the active backend. */
interface Case {
  readonly state: StateDict;
  readonly inputs: Record<string, Tensor>;
  readonly out: Tensor;
  readonly r: Tensor | undefined;
  readonly weights: Tensor | undefined;
  readonly grads: Record<string, Tensor>;
}

function loadCase(name: string): Case {
  const all = loadSafetensors(BYTES);
  const part = (prefix: string): Record<string, Tensor> =>
    Object.fromEntries(
      Object.entries(all)
        .filter(([k]) => k.startsWith(`${name}.${prefix}.`))
        .map(([k, t]) => [k.slice(name.length + prefix.length + 2), t]),
    );
  const inputs = part('in');
  for (const t of Object.values(inputs)) if (t.dtype === 'float32') t.requiresGrad = true;
  return {
    state: part('state'),
    inputs,
    out: all[`${name}.out`]!,
    r: all[`${name}.r`],
    weights: all[`${name}.weights`],
    grads: part('grad'),
  };
}

function expectClose(actual: Tensor, expected: Tensor, what: string): void {
  expect(actual.shape, what).toEqual(expected.shape);
  const a = values(actual);
  const worst = values(expected).reduce(
    (acc, e, i) => Math.max(acc, Math.abs(a[i]! - e) / (1 + Math.abs(e))),
    0,
  );
  expect(worst, `${what}: worst scaled error`).toBeLessThanOrEqual(TOLERANCE);
}

/**
 * Loads `c.state` into `module`, runs `run`, compares the output (and weights), then backpropagates
 * sum(out · r) and compares the gradient of every float input and every parameter.
 */
function checkCase(
  module: Module,
  c: Case,
  run: (inputs: Record<string, Tensor>) => { output: Tensor; weights?: Tensor | null },
): void {
  module.loadStateDict(c.state);
  const { output, weights } = run(c.inputs);
  expectClose(output, c.out, 'output');
  if (c.weights !== undefined) expectClose(weights!, c.weights, 'weights');
  backward(sum(mul(output, c.r!)));
  const grads: Record<string, Tensor> = { ...c.inputs };
  for (const [name, p] of module.namedParameters()) grads[name] = p;
  expect(Object.keys(c.grads).sort()).toEqual(
    Object.keys(grads)
      .filter((k) => grads[k]!.dtype === 'float32')
      .sort(),
  );
  for (const [name, expected] of Object.entries(c.grads)) {
    expectClose(grads[name]!.grad!, expected, `gradient of ${name}`);
  }
}

const rng = (): Rng => new Rng(0);

for (const backend of BACKENDS) {
  const on = (name: string, fn: (c: Case) => void): void => withBackend(backend, () => fn(loadCase(name)));

  describe(`PyTorch parity on ${backend}`, backendTestOptions(backend), () => {
    it('Embedding (padding_idx 0, a row used twice)', () =>
      on('embedding', (c) => {
        const embedding = new Embedding(10, 4, { rng: rng(), paddingIdx: 0 });
        checkCase(embedding, c, (x) => ({ output: embedding.call(x.indices!) }));
        expect(values(embedding.weight.grad!).slice(0, 4)).toEqual([0, 0, 0, 0]);
      }));

    it('LayerNorm([3, 4]) with a random affine', () =>
      on('layernorm', (c) => {
        const norm = new LayerNorm([3, 4]);
        checkCase(norm, c, (x) => ({ output: norm.call(x.x!) }));
      }));

    for (const batchFirst of [false, true]) {
      for (const causal of [false, true]) {
        it(`MultiheadAttention(8, 2), batchFirst=${batchFirst}, ${causal ? 'causal self-attention' : 'cross-attention'}`, () =>
          on(`mha_bf${Number(batchFirst)}_causal${Number(causal)}`, (c) => {
            const mha = new MultiheadAttention(8, 2, { rng: rng(), batchFirst });
            checkCase(mha, c, ({ query, key, value }) =>
              causal
                ? mha.attend(query!, query!, query!, { isCausal: true })
                : mha.attend(query!, key!, value!),
            );
          }));
      }
    }

    it('MultiheadAttention with an int32 (bool) key padding mask', () =>
      on('mha_kpm', (c) => {
        const mha = new MultiheadAttention(8, 2, { rng: rng() });
        checkCase(mha, c, ({ query, key, value, key_padding_mask }) =>
          mha.attend(query!, key!, value!, { keyPaddingMask: key_padding_mask! }),
        );
      }));

    for (const normFirst of [false, true]) {
      for (const activation of ['relu', 'gelu']) {
        it(`TransformerEncoderLayer(8, 2, 16), normFirst=${normFirst}, ${activation}`, () =>
          on(`tel_${normFirst ? 'pre' : 'post'}_${activation}`, (c) => {
            const layer = new TransformerEncoderLayer(8, 2, {
              rng: rng(),
              dimFeedforward: 16,
              dropout: 0,
              activation,
              normFirst,
            });
            checkCase(layer, c, ({ src }) => ({ output: layer.call(src!) }));
          }));
      }
    }

    it('TransformerEncoderLayer with causal: true (PyTorch: the -inf src_mask)', () =>
      on('tel_causal', (c) => {
        const layer = new TransformerEncoderLayer(8, 2, {
          rng: rng(),
          dimFeedforward: 16,
          dropout: 0,
          causal: true,
        });
        checkCase(layer, c, ({ src }) => ({ output: layer.call(src!) }));
      }));

    it('TransformerEncoderLayer, batchFirst, pre-norm gelu, with an int32 (bool) key padding mask', () =>
      on('tel_bf_kpm', (c) => {
        const layer = new TransformerEncoderLayer(8, 2, {
          rng: rng(),
          dimFeedforward: 16,
          dropout: 0,
          activation: 'gelu',
          batchFirst: true,
          normFirst: true,
        });
        checkCase(layer, c, ({ src, key_padding_mask }) => ({
          output: layer.encode(src!, { keyPaddingMask: key_padding_mask! }),
        }));
      }));

    it("gelu is PyTorch's exact (erf) GELU, value and derivative", () =>
      on('gelu', (c) => {
        const z = c.inputs.z!;
        const y = new Activation('gelu').call(z);
        expectClose(y, c.out, 'gelu');
        backward(sum(y));
        expectClose(z.grad!, c.grads.z!, "gelu'");
      }));
  });
}
