import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { backward } from '@fbt/autograd';
import { glAvailability, registerGpuBackend } from '@fbt/gpu';
import { backendTestOptions, glAvailable } from '../../../test-utils/gl';
import { Rng, add, mul, registerWasmBackend, sum, tidy, withBackend, type Tensor } from '@fbt/tensor';
import { Leaky, Linear, TimeDistributed, loadSafetensors, type ResetMechanism } from '../src';
import { values } from './helpers';

/*
 * Parity with snnTorch 0.9.1's Leaky through PyTorch: fixtures written by
 * fixtures/make_spiking_fixtures.py (Linear(4, 5) → Leaky → Linear(5, 3) → Leaky, T = 6, batch 2),
 * checked on every backend: spikes and membranes of both layers, the loss, and its gradients with
 * respect to the input, the weights and (learnable case) β and the thresholds.
 */

if (!registerWasmBackend()) throw new Error('spiking-torch test: this engine has no WebAssembly SIMD');
const GL = glAvailable('spiking-torch test (gpu backend)', glAvailability());
if (GL) registerGpuBackend({ name: 'gpu', onFallback: () => undefined });
const BACKENDS = GL ? ['cpu', 'wasm', 'gpu'] : ['cpu', 'wasm'];

interface Case {
  readonly file: string;
  readonly resetMechanism: ResetMechanism;
  readonly spikeGrad: string;
  readonly learn: boolean;
}

const CASES: readonly Case[] = [
  { file: 'spiking-subtract-atan', resetMechanism: 'subtract', spikeGrad: 'atan', learn: true },
  { file: 'spiking-zero-fastSigmoid', resetMechanism: 'zero', spikeGrad: 'fastSigmoid', learn: false },
  { file: 'spiking-none-atan', resetMechanism: 'none', spikeGrad: 'atan', learn: false },
];

const fixture = (name: string): Uint8Array =>
  new Uint8Array(readFileSync(new URL(`./fixtures/${name}.safetensors`, import.meta.url)));

/**
 * Tolerance of membranes, loss and gradients on every backend, relative to 1 + |expected|. Worst
 * measured: values 7.7e-8 on cpu, 1.3e-7 on wasm and gpu (Mesa llvmpipe); gradients 4.4e-7 on cpu,
 * 7.5e-7 on wasm, 6.7e-7 on gpu (the lif1.threshold gradient of the learnable case).
 */
const TOLERANCE = 1e-5;

/** |actual − expected| ≤ TOLERANCE·(1 + |expected|) elementwise, with the same shape. */
function expectClose(actual: Tensor, expected: Tensor, what: string): void {
  expect(actual.shape, what).toEqual(expected.shape);
  const a = values(actual);
  const worst = values(expected).reduce((w, e, i) => Math.max(w, Math.abs(a[i]! - e) / (1 + Math.abs(e))), 0);
  expect(worst, what).toBeLessThanOrEqual(TOLERANCE);
}

/** The fbt twin of the script's network, loaded with its weights. */
function network(state: Record<string, Tensor>, c: Case) {
  const linear = (inF: number, outF: number, prefix: string): TimeDistributed => {
    const l = new Linear(inF, outF, { rng: new Rng(0) });
    l.loadStateDict({ weight: state[`${prefix}.weight`]!, bias: state[`${prefix}.bias`]! });
    return new TimeDistributed(l);
  };
  const lif = (beta: number, threshold: number): Leaky =>
    new Leaky({
      beta,
      threshold,
      resetMechanism: c.resetMechanism,
      spikeGrad: c.spikeGrad,
      learnBeta: c.learn,
      learnThreshold: c.learn,
    });
  return { fc1: linear(4, 5, 'fc1'), lif1: lif(0.8, 0.5), fc2: linear(5, 3, 'fc2'), lif2: lif(0.6, 0.3) };
}

describe.each(BACKENDS)('Leaky matches snnTorch on %s', (backend) => {
  it.each(CASES)('$file: spikes, membranes, loss and gradients', backendTestOptions(backend), (c) => {
    withBackend(backend, () =>
      tidy(() => {
        const state = loadSafetensors(fixture(c.file));
        const net = network(state, c);
        const x = state.x!;
        x.requiresGrad = true;
        const run1 = net.lif1.run(net.fc1.call(x));
        const run2 = net.lif2.run(net.fc2.call(run1.spikes));
        const loss = add(
          add(sum(mul(state.c_spk1!, run1.spikes)), sum(mul(state.c_spk2!, run2.spikes))),
          sum(mul(state.c_mem2!, run2.mems)),
        );
        expect(values(run1.spikes)).toEqual(values(state.spk1!));
        expect(values(run2.spikes)).toEqual(values(state.spk2!));
        expectClose(run1.mems, state.mem1!, 'mem1');
        expectClose(run2.mems, state.mem2!, 'mem2');
        expectClose(loss, state.loss!, 'loss');
        backward(loss);
        expectClose(x.grad!, state['grad.x']!, 'grad x');
        for (const fc of ['fc1', 'fc2'] as const) {
          const inner = net[fc].module as Linear;
          expectClose(inner.weight.grad!, state[`grad.${fc}.weight`]!, `grad ${fc}.weight`);
          expectClose(inner.bias!.grad!, state[`grad.${fc}.bias`]!, `grad ${fc}.bias`);
        }
        if (c.learn) {
          for (const lif of ['lif1', 'lif2'] as const) {
            expectClose(net[lif].beta.grad!, state[`grad.${lif}.beta`]!, `grad ${lif}.beta`);
            expectClose(net[lif].threshold.grad!, state[`grad.${lif}.threshold`]!, `grad ${lif}.threshold`);
          }
        }
        for (const m of Object.values(net)) m.dispose();
      }),
    );
  });
});
