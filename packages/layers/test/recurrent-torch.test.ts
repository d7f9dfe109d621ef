import { describe, expect, it } from 'vitest';
import { backward } from '@fbt/autograd';
import { glAvailability, registerGpuBackend } from '@fbt/gpu';
import { Rng, add, mul, registerWasmBackend, sum, tidy, withBackend, type Tensor } from '@fbt/tensor';
import { backendTestOptions, glAvailable } from '../../../test-utils/gl';
import { GRU, GRUCell, LSTM, LSTMCell, loadSafetensors, type Module, type StateDict } from '../src';
import { expectClose, fixture } from './helpers';

/*
 * Parity with PyTorch 1.13's nn.GRU, nn.LSTM, nn.GRUCell and nn.LSTMCell through the committed
 * fixtures of fixtures/make_rnn_fixtures.py (in = 5, H = 7, T = 4, N = 3): the PyTorch state dict
 * loads strictly, and outputs, final states and the gradients of L = Σ output·w_output + Σ h_n·w_h_n
 * (+ Σ c_n·w_c_n) with respect to the input, the initial state and every parameter agree.
 */

if (!registerWasmBackend()) throw new Error('recurrent-torch test: this engine has no WebAssembly SIMD');
const GL = glAvailable('recurrent-torch test (gpu backend)', glAvailability());
if (GL) registerGpuBackend({ name: 'gpu', onFallback: () => undefined });

/**
 * |fbt − torch| ≤ TOLERANCE·(1 + |torch|) on every backend. All compute in float32 like PyTorch,
 * differing in summation order and in float32 transcendentals (the gpu's are the shader's), a few
 * ulp amplified by four steps of recurrence. Worst measured: 3.1e-7 on cpu, 6.2e-7 on wasm, 4.1e-7
 * on gpu (Mesa llvmpipe), in the weight_ih_l0 gradient of the GRU without bias.
 */
const TOLERANCE = 1e-5;
const BACKENDS = GL ? ['cpu', 'wasm', 'gpu'] : ['cpu', 'wasm'];

/** The outputs a case compares (`output`, `h_n`, `c_n`), from the fixture's input and initial state. */
type Outputs = Record<string, Tensor>;

interface Case {
  /** Fixture base name. */
  readonly file: string;
  /** The fbt twin of the script's module (its own seed: the weights come from the state dict). */
  readonly build: () => Module;
  /** Runs the module on `io.x` from `io.h0` (and `io.c0`). */
  readonly run: (module: Module, io: StateDict) => Outputs;
}

const rng = (): Rng => new Rng(99);

const gruRun = (m: Module, io: StateDict): Outputs => {
  const { output, hN } = (m as GRU).run(io.x!, io.h0);
  return { output, h_n: hN };
};
const lstmRun = (m: Module, io: StateDict): Outputs => {
  const { output, hN, cN } = (m as LSTM).run(io.x!, { h0: io.h0!, c0: io.c0! });
  return { output, h_n: hN, c_n: cN };
};

const CASES: readonly Case[] = [
  { file: 'gru', build: () => new GRU(5, 7, { rng: rng(), numLayers: 2 }), run: gruRun },
  {
    file: 'gru-batch-first',
    build: () => new GRU(5, 7, { rng: rng(), numLayers: 2, batchFirst: true }),
    run: gruRun,
  },
  { file: 'gru-no-bias', build: () => new GRU(5, 7, { rng: rng(), bias: false }), run: gruRun },
  { file: 'lstm', build: () => new LSTM(5, 7, { rng: rng(), numLayers: 2 }), run: lstmRun },
  {
    file: 'lstm-batch-first',
    build: () => new LSTM(5, 7, { rng: rng(), numLayers: 2, batchFirst: true }),
    run: lstmRun,
  },
  {
    file: 'gru-cell',
    build: () => new GRUCell(5, 7, { rng: rng() }),
    run: (m, io) => ({ h_n: (m as GRUCell).step(io.x!, io.h0!) }),
  },
  {
    file: 'lstm-cell',
    build: () => new LSTMCell(5, 7, { rng: rng() }),
    run: (m, io) => {
      const { h, c } = (m as LSTMCell).step(io.x!, { h: io.h0!, c: io.c0! });
      return { h_n: h, c_n: c };
    },
  },
];

describe.each(BACKENDS)('recurrent layers match PyTorch on %s', (backend) => {
  it.each(CASES)('$file: values and gradients', backendTestOptions(backend), ({ file, build, run }) => {
    withBackend(backend, () => {
      const model = build();
      model.loadStateDict(loadSafetensors(fixture(file))); // strict: PyTorch's names and shapes
      tidy(() => {
        const io = loadSafetensors(fixture(`${file}-io`));
        const leaves = ['x', 'h0', 'c0'].filter((k) => io[k] !== undefined);
        for (const k of leaves) io[k]!.requiresGrad = true;
        const outputs = run(model, io);
        for (const [k, t] of Object.entries(outputs)) expectClose(t, io[k]!, TOLERANCE, k);
        const loss = Object.entries(outputs)
          .map(([k, t]) => sum(mul(t, io[`w_${k}`]!)))
          .reduce((a, b) => add(a, b));
        backward(loss);
        const checked = [
          ...leaves.map((k): [string, Tensor | null] => [k, io[k]!.grad]),
          ...model.namedParameters().map(([k, p]): [string, Tensor | null] => [k, p.grad]),
        ];
        expect(checked.map(([k]) => `grad.${k}`).sort()).toEqual(
          Object.keys(io)
            .filter((k) => k.startsWith('grad.'))
            .sort(),
        );
        for (const [k, g] of checked) expectClose(g!, io[`grad.${k}`]!, TOLERANCE, `grad.${k}`);
        expectClose(model.call(io.x!), io.output_zero_state!, TOLERANCE, 'output_zero_state');
      });
      model.dispose();
    });
  });
});
