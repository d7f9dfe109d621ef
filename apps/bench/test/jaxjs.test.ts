import { describe, expect, it } from 'vitest';
import { fbtContender } from '../src/contenders/fbt';
import { initJaxjs, jaxjsContender, jaxjsVersion } from '../src/contenders/jaxjs';
import { relativeError } from '../src/outputs';
import { createWorkloads } from '../src/workloads';

describe('the jax-js peer', () => {
  const workloads = createWorkloads();
  const byId = (id: string) => workloads.find((w) => w.id === id)!;
  const reference = fbtContender('cpu');

  it('names its version', () => {
    expect(jaxjsVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('computes the matmul and the MLP step (first step loss) as fbt does; nothing else', async () => {
    await initJaxjs();
    for (const id of ['matmul-128x784x256', 'train-mlp-784-256-10']) {
      const run = jaxjsContender.prepare(byId(id))!;
      expect(run, id).not.toBeNull();
      const expected = reference.prepare(byId(id))!();
      expect(relativeError(run(), expected), id).toBeLessThan(1e-4);
    }
    for (const id of ['conv2d-lenet-forward', 'train-lenet5', 'binary-gemm-128x784x256'])
      expect(jaxjsContender.prepare(byId(id)), id).toBeNull();
  });
});
