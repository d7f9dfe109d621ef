import { availableParallelism, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { registerWasmBackend } from '@fbt/tensor';
import type { Contender } from './contender';
import { fbtContender } from './contenders/fbt';
import { naiveContender } from './contenders/naive';
import { initTfjs, tfjsContender } from './contenders/tfjs';
import { formatRatios, peerRatios } from './ratios';
import { formatTable, writeJson, type Cell, type Row } from './report';
import { DEFAULT_TIMING, measure, type TimingOptions } from './timing';
import { createWorkloads, type Workload } from './workloads';

/** TensorFlow.js columns: the peers every fbt backend is compared with. */
const peers: readonly Contender[] = [tfjsContender('cpu'), tfjsContender('wasm')];

/**
 * The first contender is the baseline that the speed-ups refer to; outputs are checked against the
 * first contender that supports a workload (the baseline, or fbt-cpu for the training steps).
 */
const contenders: readonly Contender[] = [
  naiveContender,
  fbtContender('cpu'),
  ...(registerWasmBackend() ? [fbtContender('wasm')] : []),
  ...peers,
];

/** Largest absolute difference between two output lists, relative to the reference's largest magnitude. */
function relativeError(actual: readonly Float32Array[], reference: readonly Float32Array[]): number {
  let scale = 0;
  let worst = 0;
  reference.forEach((ref, o) => {
    const out = actual[o]!;
    for (let i = 0; i < ref.length; i++) {
      scale = Math.max(scale, Math.abs(ref[i]!));
      worst = Math.max(worst, Math.abs(out[i]! - ref[i]!));
    }
  });
  return scale === 0 ? worst : worst / scale;
}

/**
 * Timing options by the duration of the first (output-check) run. Fast runs are warmed up for
 * about 300 ms, long enough for V8 to replace baseline (Liftoff) wasm code and interpreted JS by
 * optimized code in every contender; slow runs (TensorFlow.js's cpu convolutions take seconds) get
 * fewer samples so the bench stays short.
 */
function timingFor(firstRunMs: number): TimingOptions {
  if (firstRunMs > 1000) return { ...DEFAULT_TIMING, warmup: 0, minSamples: 3 };
  if (firstRunMs > 250) return { ...DEFAULT_TIMING, warmup: 1 };
  const warmup = Math.min(50, Math.max(DEFAULT_TIMING.warmup, Math.ceil(300 / Math.max(firstRunMs, 1))));
  return { ...DEFAULT_TIMING, warmup };
}

function benchWorkload(workload: Workload): Row {
  const [baseline] = contenders;
  const cells: Record<string, Cell> = {};
  let baselineMs = NaN;
  let reference: Float32Array[] | null = null;
  for (const contender of contenders) {
    const run = contender.prepare(workload);
    if (run === null) continue;
    const start = performance.now();
    const outputs = run();
    reference ??= outputs;
    const timing = measure(run, timingFor(performance.now() - start));
    if (contender === baseline) baselineMs = timing.medianMs;
    cells[contender.name] = {
      ...timing,
      gflops: workload.flops / timing.medianMs / 1e6,
      speedup: baselineMs / timing.medianMs,
      maxRelError: relativeError(outputs, reference),
    };
  }
  return { workload, cells };
}

async function main(): Promise<void> {
  await initTfjs();
  const names = contenders.map((c) => c.name);
  const baseline = names[0]!;
  console.log(
    `fbt bench: ${cpus()[0]?.model ?? 'unknown cpu'}, ${availableParallelism()} cores, node ${process.version}`,
  );
  const rows = createWorkloads().map((workload) => {
    process.stdout.write(`  ${workload.label} ...\n`);
    return benchWorkload(workload);
  });
  console.log(`\n${formatTable(rows, names, baseline)}\n`);
  const ratios = peerRatios(
    rows,
    peers.map((p) => p.name),
  );
  console.log(`How many times faster each fbt backend is than each peer (peer median / fbt median):\n`);
  console.log(`${formatRatios(ratios)}\n`);
  for (const row of rows) {
    for (const [name, cell] of Object.entries(row.cells)) {
      if (cell.maxRelError > 1e-4)
        console.warn(
          `warning: ${name} differs from the reference on ${row.workload.id} by ${cell.maxRelError}`,
        );
    }
  }
  const out = fileURLToPath(new URL('../results/latest.json', import.meta.url));
  writeJson(out, rows, baseline, { peerRatios: ratios });
  console.log(`results written to ${out}`);
}

await main();
