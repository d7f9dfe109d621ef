import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng, withBackend } from '@fbt/tensor';
import { bnnMnist } from '../src/experiments/bnn-mnist';
import { checkJobResult } from '../src/queue/collect';
import type { RunSettings } from '../src/experiments/types';
import { inferenceSection } from '../src/report/inference';
import { renderReport } from '../src/report/write';
import type { InferenceTiming, RunRecord } from '../src/results/records';
import { completeRunRecord, readRun } from '../src/results/store';
import { startBackend } from '../src/run/backend';
import { disposeData, loadData } from '../src/train/data';
import { bitLayers } from '../src/train/inference';
import { buildModel } from '../src/train/models';
import { objectiveFor } from '../src/train/objective';
import { optimizerFor } from '../src/train/train-run';
import { trainEpochs } from '../src/train/trainer';
import { suc } from './fixtures';
import { cli, tempDir } from './helpers';

const TIMING: InferenceTiming = {
  images: 1000,
  floatMs: 24.5,
  packedMs: 16.25,
  speedUp: 24.5 / 16.25,
  outputsEqual: true,
  bitLayers: ['4: BinaryLinear 256→256'],
};

/** A finished suc-ones run under `out` whose record is completed with `inference` (any value). */
function runWith(out: string, inference: unknown): string {
  suc(out, 'tied', 0, [0.5, 0.6], [1]);
  const dir = join(out, 'suc-ones', 'tied', 'seed-0');
  const record = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as RunRecord;
  completeRunRecord(dir, { ...record, inference } as RunRecord);
  return dir;
}

describe('the inference timing in a run record', () => {
  it('reads back as written, and a record without it still loads', () => {
    const reading = readRun(runWith(tempDir(), TIMING));
    expect(reading.ok && reading.run.record.inference).toEqual(TIMING);
    const out = tempDir();
    suc(out, 'tied', 0, [0.5, 0.6], [1]);
    const old = readRun(join(out, 'suc-ones', 'tied', 'seed-0'));
    expect(old.ok && 'inference' in old.run.record).toBe(false);
  });

  it.each([
    ['a time that is not positive', { ...TIMING, packedMs: 0 }, /"inference\.packedMs"/],
    ['a missing field', { ...TIMING, outputsEqual: undefined }, /"inference\.outputsEqual"/],
    ['a layer name that is not one', { ...TIMING, bitLayers: ['| x'] }, /"inference\.bitLayers\.0"/],
  ])('refuses %s', (_, inference, reason) => {
    const reading = readRun(runWith(tempDir(), inference));
    expect(reading.ok).toBe(false);
    expect(!reading.ok && reading.reason).toMatch(reason);
  });

  it('is checked the same way in a job result from a queue', () => {
    const reading = readRun(runWith(tempDir(), TIMING));
    if (!reading.ok) throw new Error(reading.reason);
    const { record, metrics } = reading.run;
    expect(checkJobResult({ record, metrics })).toEqual({ record, metrics });
    expect(
      checkJobResult({ record: { ...record, inference: { ...TIMING, speedUp: 'fast' } }, metrics }),
    ).toMatch(/"record\.inference\.speedUp"/);
  });
});

describe('the report', () => {
  it('prints one row per timed run, and nothing for runs without a timing', async () => {
    const out = tempDir();
    runWith(out, TIMING);
    const { files } = await renderReport(out);
    const report = files.get(join(out, 'REPORT.md'))!;
    expect(report).toContain('| tied | 0 | 1000 | 24.5 | 16.3 | 1.51× | yes | 4: BinaryLinear 256→256 |');
    expect(inferenceSection([])).toBeNull();
    const plain = tempDir();
    suc(plain, 'tied', 0, [0.5, 0.6], [1]);
    expect((await renderReport(plain)).body).not.toContain('Inference');
  });

  it('marks outputs that differ', () => {
    const out = tempDir();
    const reading = readRun(runWith(out, { ...TIMING, outputsEqual: false }));
    if (!reading.ok) throw new Error(reading.reason);
    expect(inferenceSection([reading.run])).toContain('| **no** |');
  });
});

describe('a binary MLP on bits', () => {
  const settings: RunSettings = {
    ...bnnMnist.full.configs[0]!.settings,
    model: { kind: 'binary-mlp', hidden: [64, 32, 32] },
    dataset: { name: 'mnist', trainSize: 192, testSize: 64 },
    epochs: 2,
    batchSize: 32,
  };

  it.each(['cpu', 'wasm'])(
    'trains on %s with the same metrics as its float twin, every layer after the first on bits',
    async (backend) => {
      await startBackend(backend);
      const data = await loadData(settings.dataset, new Rng(0).fork('data'));
      const metricsOf = (bitPath: boolean): { layers: string[]; metrics: unknown[] } =>
        withBackend(backend, () => {
          const model = buildModel(settings, data.inputShape, data.numClasses, new Rng(3), { bitPath });
          const optimizer = optimizerFor(settings.optimizer, model.parameters());
          const epochs = trainEpochs({
            model,
            objective: objectiveFor(settings.loss),
            optimizer,
            train: data.train,
            test: data.test,
            epochs: settings.epochs,
            batchSize: settings.batchSize,
            shuffleSeed: 7,
            seed: 0,
          });
          const metrics = [...epochs].map(({ seconds: _seconds, ...rest }) => rest);
          const layers = bitLayers(model);
          model.dispose();
          optimizer.dispose();
          return { layers, metrics };
        });
      const bits = metricsOf(true);
      const float = metricsOf(false);
      disposeData(data);
      expect(bits.layers).toEqual(['4: BinaryLinear 64→32', '7: BinaryLinear 32→32']);
      expect(float.layers).toEqual([]);
      expect(bits.metrics).toEqual(float.metrics);
    },
  );

  it('the seeded quick-tier bnn-mnist run records its inference timing, outputs equal', async () => {
    const out = tempDir();
    const { code, stderr } = await cli(
      'run',
      'bnn-mnist',
      '--quick',
      '--configs',
      'rectangular',
      '--out',
      out,
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const reading = readRun(join(out, 'bnn-mnist', 'rectangular', 'seed-0'));
    if (!reading.ok) throw new Error(reading.reason);
    const inference = reading.run.record.inference!;
    expect(inference.images).toBe(1000);
    expect(inference.outputsEqual).toBe(true);
    expect(inference.floatMs).toBeGreaterThan(0);
    expect(inference.packedMs).toBeGreaterThan(0);
    expect(inference.speedUp).toBeCloseTo(inference.floatMs / inference.packedMs, 10);
    expect(inference.bitLayers).toEqual(['4: BinaryLinear 256→256']);
    expect(readFileSync(join(out, 'REPORT.md'), 'utf8')).toMatch(
      /\| rectangular \| 0 \| 1000 \| [\d.]+ \| [\d.]+ \| [\d.]+× \| yes \| 4: BinaryLinear 256→256 \|/,
    );
  });
});
