import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fbtTrainingStep } from '../src/contenders/fbt-training';
import { relativeError } from '../src/outputs';
import { TRAINING_STEP_POLICY, WARMUP_POLICY } from '../src/timing';
import { parseTorchResponse, torchRequest } from '../src/torch/protocol';
import { findTorchPython, pythonCandidates, type RunPython } from '../src/torch/python';
import { runTorch } from '../src/torch/run';
import type { TrainingSpec } from '../src/training';
import { createWorkloads } from '../src/workloads';

const base64 = (values: number[]): string => Buffer.from(new Float32Array(values).buffer).toString('base64');

const result = {
  id: 'matmul-2x2x2',
  threads: 2,
  medianMsByThreads: { '1': 3, '2': 2 },
  medianMs: 2,
  minMs: 1.5,
  cpuMedianMs: 3.9,
  samples: 5,
  outputs: [base64([1, 2.5])],
};

describe('pythonCandidates and findTorchPython', () => {
  it('tries $FBT_PYTHON first, then python3 and /usr/bin/python3, without duplicates', () => {
    expect(pythonCandidates({ FBT_PYTHON: '/opt/py' })).toEqual(['/opt/py', 'python3', '/usr/bin/python3']);
    expect(pythonCandidates({ FBT_PYTHON: 'python3' })).toEqual(['python3', '/usr/bin/python3']);
    expect(pythonCandidates({})).toEqual(['python3', '/usr/bin/python3']);
  });

  it('picks the first candidate that imports torch', () => {
    const tried: string[] = [];
    const run: RunPython = (python) => {
      tried.push(python);
      return python === '/usr/bin/python3' ? { status: 0, stdout: '1.13.0\n' } : { status: 1, stdout: '' };
    };
    expect(findTorchPython(['python3', '/usr/bin/python3', 'never'], run)).toEqual({
      found: true,
      python: '/usr/bin/python3',
      torchVersion: '1.13.0',
    });
    expect(tried).toEqual(['python3', '/usr/bin/python3']);
  });

  it('gives one reason line when none does (a missing executable has a null status)', () => {
    const found = findTorchPython(['python3', 'nope'], () => ({ status: null, stdout: '' }));
    expect(found).toEqual({
      found: false,
      reason: 'no Python with torch among python3, nope (set FBT_PYTHON)',
    });
  });
});

describe('torchRequest', () => {
  it('sends every workload with its shapes, and its arrays as base64 bytes', () => {
    const workloads = createWorkloads();
    const request = torchRequest(workloads);
    expect(request.threads).toEqual([1, 2]);
    expect(request.policy).toBe(WARMUP_POLICY);
    expect(request.stepPolicy).toBe(TRAINING_STEP_POLICY);
    expect(request.workloads.map((w) => w['id'])).toEqual(workloads.map((w) => w.id));
    const matmul = request.workloads[0]!;
    expect([matmul['kind'], matmul['m'], matmul['k'], matmul['n']]).toEqual(['matmul', 128, 784, 256]);
    const a = Buffer.from(matmul['a'] as string, 'base64');
    expect(new Float32Array(a.buffer, a.byteOffset, 2)[1]).toBe(
      (workloads[0]!.spec as { a: Float32Array }).a[1],
    );
    const lenet = request.workloads.find((w) => w['id'] === 'train-lenet5')!;
    expect(lenet['inputShape']).toEqual([64, 1, 28, 28]);
    expect((lenet['params'] as unknown[]).every((p) => typeof p === 'string')).toBe(true);
  });
});

describe('parseTorchResponse', () => {
  it('decodes the outputs and keeps the timings', () => {
    const text = JSON.stringify({ torch: '1.13.0', python: '3.11.2', results: [result] });
    const [parsed] = parseTorchResponse(text).results;
    expect(parsed).toMatchObject({ id: 'matmul-2x2x2', threads: 2, medianMs: 2, samples: 5 });
    expect([...parsed!.outputs[0]!]).toEqual([1, 2.5]);
    expect(parsed!.lastLoss).toBeUndefined();
  });

  it('reads a training step’s last loss, null (not finite) as NaN', () => {
    const text = JSON.stringify({
      torch: '1',
      python: '3',
      results: [{ ...result, lastLoss: null, steps: 9 }],
    });
    const [parsed] = parseTorchResponse(text).results;
    expect(parsed!.lastLoss).toBeNaN();
    expect(parsed!.steps).toBe(9);
  });

  it('rejects a result with a missing or mistyped field', () => {
    const bad = (r: unknown): string => JSON.stringify({ torch: '1', python: '3', results: [r] });
    expect(() => parseTorchResponse(bad({ ...result, medianMs: '2' }))).toThrow(/medianMs/);
    expect(() => parseTorchResponse(bad({ ...result, outputs: [1] }))).toThrow(/outputs/);
    expect(() => parseTorchResponse('[]')).toThrow(/response is not an object/);
  });
});

// Runs the real script where a Python with torch exists (not in CI): a small matmul and the MLP step.
const torch = findTorchPython(pythonCandidates());
describe.skipIf(!torch.found)('python/torch_bench.py', () => {
  it('agrees with fbt on a matmul element and on the MLP step’s first loss, and the loss falls', () => {
    const workloads = createWorkloads().filter(
      (w) => w.id === 'matmul-256x256x256' || w.id === 'train-mlp-784-256-10',
    );
    const script = fileURLToPath(new URL('../python/torch_bench.py', import.meta.url));
    const response = runTorch(torch.found ? torch.python : '', script, workloads, [1]);
    const [matmul, mlp] = response.results;
    const spec = workloads[0]!.spec as { a: Float32Array; b: Float32Array };
    const c01 = Array.from({ length: 256 }, (_, i) => spec.a[i]! * spec.b[i * 256 + 1]!).reduce(
      (s, v) => s + v,
    );
    expect(matmul!.outputs[0]![1]).toBeCloseTo(c01, 3);
    const fbtLoss = fbtTrainingStep('cpu', workloads[1]!.spec as TrainingSpec)();
    expect(relativeError(mlp!.outputs, fbtLoss)).toBeLessThan(1e-5);
    expect(mlp!.lastLoss).toBeLessThan(mlp!.outputs[0]![0]!);
  }, 120_000);
});
