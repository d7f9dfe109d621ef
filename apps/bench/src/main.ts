import { availableParallelism, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Contender, Run } from './contender';
import { fbtContender } from './contenders/fbt';
import { naiveContender } from './contenders/naive';
import { initTfjs, tfjsContender } from './contenders/tfjs';
import { describeGpu, rerunUnderXvfb, setUpGpu, type GpuStatus } from './gpu';
import { formatRatios, speedRatios } from './ratios';
import { formatTable, writeJson, type Cell, type Row } from './report';
import { DEFAULT_TIMING, measureInterleaved, type TimingOptions } from './timing';
import { setUpWasmVariants, type WasmVariants } from './wasm-variants';
import { createWorkloads, type Workload } from './workloads';

/** TensorFlow.js columns: the peers every fbt backend is compared with. */
const peers: readonly Contender[] = [tfjsContender('cpu'), tfjsContender('wasm')];

/**
 * The contenders, in column order. The first is the baseline that the speed-ups refer to; outputs
 * are checked against the first contender that supports a workload (the baseline, or fbt-cpu for
 * the training steps). The wasm columns are those `wasm` set up, `fbt-wasm` on 1 and on N kernel
 * threads; `fbt-gpu` is there when `gpu` found a GL device.
 */
function contendersFor(gpu: GpuStatus, wasm: WasmVariants): Contender[] {
  return [
    naiveContender,
    fbtContender('cpu'),
    ...wasm.backends.flatMap((name) =>
      (name === 'wasm' ? wasm.threadCounts : [1]).map((threads) => fbtContender(name, { threads })),
    ),
    ...(gpu.enabled ? [fbtContender('gpu', { compilesOnFirstRun: true })] : []),
    ...peers,
  ];
}

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

/** Timing for a contender that already ran twice (compiling, then timed once): that run was a warm-up. */
function afterCompiling(options: TimingOptions): TimingOptions {
  return { ...options, warmup: Math.max(0, options.warmup - 1) };
}

/** Runs `run` once and returns its duration in ms. */
function timeOnce(run: () => unknown): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

function benchWorkload(workload: Workload, contenders: readonly Contender[]): Row {
  const [baseline] = contenders;
  const prepared: { contender: Contender; run: Run; outputs: Float32Array[]; options: TimingOptions }[] = [];
  for (const contender of contenders) {
    const run = contender.prepare(workload);
    if (run === null) continue;
    const start = performance.now();
    const outputs = run();
    const firstRunMs = performance.now() - start;
    const options = contender.compilesOnFirstRun
      ? afterCompiling(timingFor(timeOnce(run)))
      : timingFor(firstRunMs);
    prepared.push({ contender, run, outputs, options });
  }
  const timings = measureInterleaved(prepared);
  const reference = prepared[0]?.outputs ?? [];
  const baselineAt = prepared.findIndex((p) => p.contender === baseline);
  const baselineMs = baselineAt < 0 ? NaN : timings[baselineAt]!.medianMs;
  const cells: Record<string, Cell> = {};
  prepared.forEach(({ contender, outputs }, k) => {
    const timing = timings[k]!;
    cells[contender.name] = {
      ...timing,
      gflops: workload.flops / timing.medianMs / 1e6,
      speedup: baselineMs / timing.medianMs,
      maxRelError: relativeError(outputs, reference),
    };
  });
  return { workload, cells };
}

async function main(): Promise<void> {
  const wasm = setUpWasmVariants();
  await initTfjs();
  const gpu = setUpGpu();
  const contenders = contendersFor(gpu, wasm);
  const names = contenders.map((c) => c.name);
  const fbtNames = names.filter((name) => name.startsWith('fbt-'));
  const baseline = names[0]!;
  console.log(
    `fbt bench: ${cpus()[0]?.model ?? 'unknown cpu'}, ${availableParallelism()} cores, node ${process.version}`,
  );
  console.log(wasm.description);
  console.log(describeGpu(gpu));
  const rows = createWorkloads().map((workload) => {
    process.stdout.write(`  ${workload.label} ...\n`);
    return benchWorkload(workload, contenders);
  });
  console.log(`\n${formatTable(rows, names, baseline)}\n`);
  const ratios = speedRatios(
    rows,
    fbtNames,
    peers.map((p) => p.name),
  );
  console.log(`How many times faster each fbt backend is than each peer (peer median / fbt median):\n`);
  console.log(`${formatRatios(ratios)}\n`);
  const [one, many] = wasm.threadCounts.map((n) => `fbt-wasm ×${n}`);
  const threadRatios = many === undefined ? [] : speedRatios(rows, [many], [one!]);
  if (many !== undefined) {
    console.log(
      `How many times faster fbt-wasm is on ${wasm.threadCounts[1]} kernel threads than on 1 (×1 median / ×N median):\n`,
    );
    console.log(`${formatRatios(threadRatios)}\n`);
  }
  const gpuRatios = gpu.enabled
    ? speedRatios(
        rows,
        ['fbt-gpu'],
        fbtNames.filter((name) => name !== 'fbt-gpu'),
      )
    : [];
  if (gpu.enabled) {
    const software = gpu.rendering!.kind === 'software' ? ', GL rendered in SOFTWARE (Mesa)' : '';
    console.log(
      `How many times faster fbt-gpu (gpu.js ${gpu.mode}${software}) is than fbt's CPU backends (cpu median / gpu median):\n`,
    );
    console.log(`${formatRatios(gpuRatios)}\n`);
  }
  for (const row of rows) {
    for (const [name, cell] of Object.entries(row.cells)) {
      if (cell.maxRelError > 1e-4)
        console.warn(
          `warning: ${name} differs from the reference on ${row.workload.id} by ${cell.maxRelError}`,
        );
    }
  }
  const out = fileURLToPath(new URL('../results/latest.json', import.meta.url));
  writeJson(out, rows, baseline, { gpu, peerRatios: ratios, gpuRatios, threadRatios });
  console.log(`results written to ${out}`);
}

const xvfbStatus = rerunUnderXvfb();
if (xvfbStatus === null) await main();
else process.exitCode = xvfbStatus;
