import type { Browser } from 'playwright-core';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binaryModelFile } from '../src/binary-model';
import { TRAINING_BACKENDS, runChecks, type CheckInput, type CheckResult } from '../src/checks';
import { TRAINING, type TrainingRun } from '../src/training';
import { PAGE_ENTRY, bundleForBrowser, repoPath, type PackageSource } from './bundle';
import { chromiumMissing, launchChromium, runChecksInPage, type PageRun } from './chromium';
import { CORRUPT_NAMES, VALID_SOURCES, idxFixtures } from './idx-fixtures';
import { installPackedPackages } from './packed';

/**
 * Largest |Δloss| allowed between the page's default wasm run and Node's. Chromium validates relaxed
 * SIMD, so its `wasm` backend loads the relaxedSimd module, whose GEMM micro-kernel uses fused
 * multiply-adds (one rounding instead of two); Node 20 loads the plain simd module. The products
 * then differ in the last float32 bits, and over 80 SGD steps those differences compound (about
 * 1e-7, a few float32 ulps of the loss, with Chromium 156 and Node 20); a kernel that computed
 * anything else would be off by far more.
 */
const WASM_LOSS_TOLERANCE = 1e-5;

/** Test accuracy every run must reach, so a run that learned nothing cannot pass. */
const MIN_ACCURACY = 0.95;

/** SGD steps of the training run: one per batch of the training points, per epoch. */
const STEPS =
  TRAINING.epochs *
  Math.ceil((TRAINING.points - Math.round(TRAINING.points * TRAINING.testFraction)) / TRAINING.batchSize);

const binaryFile = binaryModelFile();
const input: CheckInput = {
  rngSeed: 20250907,
  rngCount: 2000,
  idx: idxFixtures(),
  binaryModel: binaryFile.base64,
};

const skipReason = chromiumMissing();
if (skipReason !== null) console.warn(`@fbt/browser-check: ${skipReason}`);

function run(result: CheckResult, backend: string): TrainingRun {
  const found = result.training.find((r) => r.backend === backend);
  if (found === undefined) throw new Error(`no training run on '${backend}'`);
  return found;
}

function maxAbsDiff(a: readonly number[], b: readonly number[]): number {
  expect(a.length).toBe(b.length);
  return a.reduce((worst, v, i) => Math.max(worst, Math.abs(v - b[i]!)), 0);
}

function mean(values: readonly number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}

/**
 * The two builds of the page that are checked: against the workspace's sources, and against the
 * packed tarballs installed with npm (what npm users get). The Node side runs the sources.
 */
const SOURCES: readonly { readonly name: string; readonly source: () => Promise<PackageSource> }[] = [
  { name: 'from the workspace sources', source: () => Promise.resolve({ kind: 'workspace' }) },
  {
    name: 'from the packed packages',
    source: async () => ({ kind: 'installed', project: await installPackedPackages() }),
  },
];

describe.skipIf(skipReason !== null).each(SOURCES)(
  'fbt in headless Chromium, $name, checked against Node',
  ({ name, source }) => {
    let page: PageRun;
    let node: CheckResult;
    let installed: string | undefined;
    let bundle: string;

    afterAll(() => {
      if (installed !== undefined) rmSync(dirname(installed), { recursive: true, force: true });
    });

    beforeAll(async () => {
      const from = await source();
      if (from.kind === 'installed') installed = from.project;
      bundle = await bundleForBrowser(PAGE_ENTRY, from);
      let browser: Browser | undefined;
      try {
        browser = await launchChromium();
        // The page computes in Chromium's process while Node computes here.
        [page, node] = await Promise.all([runChecksInPage(browser, bundle, input), runChecks(input)]);
      } finally {
        await browser?.close();
      }
      const wasmDelta = maxAbsDiff(run(page.result, 'wasm').losses, run(node, 'wasm').losses);
      const normalsDiffering = page.result.rng.normal.filter((z, i) => z !== node.rng.normal[i]).length;
      console.info(
        `@fbt/browser-check (${name}): wasm module in Chromium ${page.result.backend.moduleVariant}, in Node ${node.backend.moduleVariant};` +
          ` max |Δloss| on wasm ${wasmDelta.toExponential(2)};` +
          ` normal() draws differing in the last bits ${normalsDiffering}/${input.rngCount};` +
          ` accuracy cpu ${run(node, 'cpu').accuracy}, wasm in Chromium ${run(page.result, 'wasm').accuracy}`,
      );
    }, 300_000);

    it('bundled every fbt package from that source', () => {
      // esbuild names each bundled module's file in a comment.
      const files = [...bundle.matchAll(/^\s*\/\/ (\S+)$/gm)].map((m) => m[1]!);
      const origin =
        installed === undefined ? /packages\/([a-z]+)\/src\// : /node_modules\/@fbt\/([a-z]+)\/dist\//;
      const fbt = files.filter((f) => /packages\/[a-z]+\/src\/|@fbt\//.test(f));
      expect(fbt.filter((f) => !origin.test(f))).toEqual([]);
      expect(new Set(fbt.map((f) => origin.exec(f)![1]))).toEqual(
        new Set(['tensor', 'autograd', 'surrogates', 'layers', 'datasets']),
      );
    });

    it('the page logged no console errors and threw no uncaught errors', () => {
      expect(page.problems).toEqual([]);
    });

    it('the default backend in Chromium is wasm, with the module variant the engine validates', () => {
      const { backend } = page.result;
      expect(backend.simdSupported).toBe(true);
      expect(backend.defaultBackend).toBe('wasm');
      expect(backend.moduleVariant).toBe(backend.relaxedSimdSupported ? 'relaxedSimd' : 'simd');
      expect(node.backend.defaultBackend).toBe('wasm');
      expect(node.backend.moduleVariant).toBe(node.backend.relaxedSimdSupported ? 'relaxedSimd' : 'simd');
    });

    it('new Rng(seed) uniform, normal, int, split and fork streams are bit-identical in Chromium and Node', () => {
      // normal() is Box–Muller on @fbt/tensor's portableLog and cosTurns (basic IEEE operations only):
      // with Math.log and Math.cos, 108 of these 2000 draws differed in the last bit.
      for (const stream of Object.values(page.result.rng)) expect(stream).toHaveLength(input.rngCount);
      expect(page.result.rng.uniform.every((u) => u >= 0 && u < 1)).toBe(true);
      expect(new Set(page.result.rng.uniform).size).toBeGreaterThan(input.rngCount * 0.99);
      expect(page.result.rng).toEqual(node.rng); // Object.is per number: same bits, -0 ≠ +0
    });

    it('seeded training on cpu gives bit-identical losses and the same accuracy, and learns', () => {
      const browserRun = run(page.result, 'cpu');
      const nodeRun = run(node, 'cpu');
      expect(browserRun.losses).toHaveLength(STEPS);
      expect(browserRun.losses).toEqual(nodeRun.losses);
      expect(browserRun.accuracy).toBe(nodeRun.accuracy);
      expect(browserRun.accuracy).toBeGreaterThanOrEqual(MIN_ACCURACY);
      expect(mean(browserRun.losses.slice(-10))).toBeLessThan(0.5 * mean(browserRun.losses.slice(0, 10)));
    });

    it('the plain-SIMD wasm module gives bit-identical losses in Chromium and Node', () => {
      const browserRun = run(page.result, 'wasm-simd');
      expect(browserRun.losses).toEqual(run(node, 'wasm-simd').losses);
      expect(browserRun.accuracy).toBeGreaterThanOrEqual(MIN_ACCURACY);
    });

    it(`the default wasm backend's losses are within ${WASM_LOSS_TOLERANCE} of Node's`, () => {
      const browserRun = run(page.result, 'wasm');
      const nodeRun = run(node, 'wasm');
      expect(maxAbsDiff(browserRun.losses, nodeRun.losses)).toBeLessThanOrEqual(WASM_LOSS_TOLERANCE);
      expect(browserRun.accuracy).toBeGreaterThanOrEqual(MIN_ACCURACY);
      expect(nodeRun.accuracy).toBeGreaterThanOrEqual(MIN_ACCURACY);
    });

    it('@fbt/datasets parses gzip and plain IDX bytes in Chromium to the same values as in Node', () => {
      for (const [name, source] of Object.entries(VALID_SOURCES)) {
        const outcome = node.idx.find((o) => o.name === name);
        expect(outcome, name).toEqual({
          name,
          ok: true,
          ...source,
          values: [...source.values],
          shape: [...source.shape],
        });
      }
      expect(page.result.idx).toEqual(node.idx);
    });

    it('an exported binary model (packed weights, safetensors) gives the same output bits in Chromium as in Node', () => {
      expect(node.binary.map((r) => r.backend)).toEqual([...TRAINING_BACKENDS]);
      for (const run of node.binary) expect(run.outputs, run.backend).toEqual(binaryFile.expected);
      expect(page.result.binary).toEqual(node.binary); // Object.is per number
    });

    it('corrupt IDX bytes give the same FbtDataError in Chromium as in Node', () => {
      for (const name of CORRUPT_NAMES) {
        const outcome = page.result.idx.find((o) => o.name === name);
        expect(outcome, name).toMatchObject({
          ok: false,
          errorName: 'FbtDataError',
          isFbtDataError: true,
          isFbtError: true,
        });
        expect(outcome?.ok === false && outcome.message.startsWith(`${name}: `), name).toBe(true);
        expect(outcome).toEqual(node.idx.find((o) => o.name === name));
      }
    });
  },
);

describe('the browser bundle', () => {
  it('refuses Node builtins, naming them (the datasets Node entry imports node:fs)', async () => {
    await expect(bundleForBrowser(repoPath('packages/datasets/src/node.ts'))).rejects.toThrow(
      /esbuild could not bundle the page for the browser:\n.*the Node builtin 'node:/,
    );
  });
});
