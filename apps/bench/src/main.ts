import { availableParallelism, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Contender, Run } from './contender';
import { BENCH_USAGE, BenchUsageError, benchMode } from './bench-args';
import { fbtContender } from './contenders/fbt';
import { initJaxjs, jaxjsContender, jaxjsVersion } from './contenders/jaxjs';
import { naiveContender } from './contenders/naive';
import { initTfjs, tfjsContender } from './contenders/tfjs';
import { describeGpu, rerunUnderXvfb, setUpGpu, type GpuStatus } from './gpu';
import { relativeError } from './outputs';
import { bestRatios, formatRatios, speedRatios, twinRatios, type SpeedRatio } from './ratios';
import { formatTable, writeJson, type Cell, type GemmReference, type Row } from './report';
import { measurePeak } from './machine/peak';
import { measureProcessScaling } from './machine/processes';
import {
  bestLimit,
  formatMachineLimit,
  GEMM_WORKLOAD,
  formatShares,
  machineShares,
  type MachineLimit,
} from './machine/shares';
import { benchTorch, describeTorch } from './torch/bench';
import {
  formatTorchRatios,
  TORCH_COLUMN,
  torchLossWarnings,
  torchSummary,
  withTorchColumn,
} from './torch/column';
import { findTorchPython, pythonCandidates } from './torch/python';
import { measureInterleaved, policyFor, timingFor, type TimedRun, type TimingOptions } from './timing';
import { setUpWasmVariants, type WasmVariants } from './wasm-variants';
import { createWorkloads, type Workload } from './workloads';

/** The PyTorch side, python/torch_bench.py (from dist/main.js). */
const TORCH_SCRIPT = fileURLToPath(new URL('../python/torch_bench.py', import.meta.url));

/**
 * The peers every fbt backend is compared with: TensorFlow.js's cpu and wasm backends, and jax-js's
 * wasm device (on the matmul and the MLP step).
 */
const peers: readonly Contender[] = [tfjsContender('cpu'), tfjsContender('wasm'), jaxjsContender];

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

/** The machine-limit GEMM's run on one `fbt-wasm*` column, timed beside the other workloads. */
interface GemmRun extends TimedRun {
  readonly column: string;
}

/**
 * The machine-limit GEMM workload prepared once on every `fbt-wasm*` contender (inputs uploaded
 * once, the first run timed for its options), for `benchWorkload` to time beside each workload.
 */
function prepareGemmRuns(gemm: Workload, contenders: readonly Contender[]): GemmRun[] {
  return contenders.flatMap((contender) => {
    const run = contender.name.startsWith('fbt-wasm') ? contender.prepare(gemm) : null;
    return run === null
      ? []
      : [{ column: contender.name, run, options: timingFor(timeOnce(run), policyFor(gemm.spec.kind)) }];
  });
}

/**
 * One workload's row, and the outputs every column is checked against. With `gemm` (the
 * machine-limit GEMM workload and its prepared runs, for every other workload), each `fbt-wasm*`
 * column that runs the workload also times that GEMM in the same interleaved rounds (the row's
 * `gemm` references).
 */
function benchWorkload(
  workload: Workload,
  contenders: readonly Contender[],
  gemm?: { readonly workload: Workload; readonly runs: readonly GemmRun[] },
): { row: Row; reference: Float32Array[] } {
  const [baseline] = contenders;
  const prepared: { contender: Contender; run: Run; outputs: Float32Array[]; options: TimingOptions }[] = [];
  for (const contender of contenders) {
    const run = contender.prepare(workload);
    if (run === null) continue;
    const start = performance.now();
    const outputs = run();
    const firstRunMs = performance.now() - start;
    const options = contender.compilesOnFirstRun
      ? afterCompiling(timingFor(timeOnce(run), policyFor(workload.spec.kind)))
      : timingFor(firstRunMs, policyFor(workload.spec.kind));
    prepared.push({ contender, run, outputs, options });
  }
  const gemmRuns = (gemm?.runs ?? []).filter((g) => prepared.some((p) => p.contender.name === g.column));
  const all = measureInterleaved([...prepared, ...gemmRuns]);
  const timings = all.slice(0, prepared.length);
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
  const gemmCells: Record<string, GemmReference> = {};
  gemmRuns.forEach(({ column }, k) => {
    const timing = all[prepared.length + k]!;
    gemmCells[column] = { ...timing, gflops: gemm!.workload.flops / timing.medianMs / 1e6 };
  });
  return { row: { workload, cells, ...(gemm === undefined ? {} : { gemm: gemmCells }) }, reference };
}

/**
 * The machine limit: the register-only multiply-add peak and the binary micro-tile peak of each wasm
 * module on 1 and N threads,
 * and the same float GEMM, then binary GEMM, alone and in N processes at once; null without wasm.
 */
async function measureMachineLimit(wasm: WasmVariants): Promise<MachineLimit | null> {
  if (wasm.backends.length === 0) return null;
  const threads = wasm.threadCounts.at(-1)!;
  const peaks = wasm.backends.flatMap((name) =>
    (['float', 'binary'] as const).map((kind) => measurePeak(name, name === 'wasm' ? threads : 1, kind)),
  );
  const processes = Math.max(threads, 2);
  return {
    peaks,
    processes: await measureProcessScaling(processes),
    binaryProcesses: await measureProcessScaling(processes, [256, 1024, 1024], 'binary'),
  };
}

async function main(): Promise<void> {
  const wasm = setUpWasmVariants();
  await initTfjs();
  await initJaxjs();
  const gpu = setUpGpu();
  const contenders = contendersFor(gpu, wasm);
  const names = contenders.map((c) => c.name);
  const fbtNames = names.filter((name) => name.startsWith('fbt-'));
  const baseline = names[0]!;
  console.log(
    `fbt bench: ${cpus()[0]?.model ?? 'unknown cpu'}, ${availableParallelism()} cores, node ${process.version}`,
  );
  console.log(wasm.description);
  console.log(`jax-js-wasm: @jax-js/jax ${jaxjsVersion()}, its WebAssembly device (matmul and the MLP step)`);
  console.log(describeGpu(gpu));
  const torch = findTorchPython(pythonCandidates());
  console.log(describeTorch(torch));
  const before = await measureMachineLimit(wasm);
  if (before !== null) console.log(formatMachineLimit(before));
  const workloads = createWorkloads();
  const gemmWorkload = workloads.find((w) => w.id === GEMM_WORKLOAD);
  const gemm = gemmWorkload && { workload: gemmWorkload, runs: prepareGemmRuns(gemmWorkload, contenders) };
  const references = new Map<string, Float32Array[]>();
  const fbtRows = workloads.map((workload) => {
    process.stdout.write(`  ${workload.label} ...\n`);
    const { row, reference } = benchWorkload(
      workload,
      contenders,
      workload.id === GEMM_WORKLOAD ? undefined : gemm,
    );
    references.set(workload.id, reference);
    return row;
  });
  const after = before === null ? null : await measureMachineLimit(wasm);
  const limit = before === null || after === null ? null : bestLimit(before, after);
  if (limit !== null) {
    console.log(
      `machine limit measured again after the workloads; the best of both (each rate the higher, scalings from those):\n${formatMachineLimit(limit)}`,
    );
  }
  const torchResponse = benchTorch(torch, TORCH_SCRIPT, workloads);
  const rows = torchResponse ? withTorchColumn(fbtRows, references, torchResponse, baseline) : fbtRows;
  console.log(`\n${formatTable(rows, torchResponse ? [...names, TORCH_COLUMN] : names, baseline)}\n`);
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
  const binaryRatios = twinRatios(rows);
  const binaryBestRatios = twinRatios(rows, 'minMs');
  console.log(
    'float ÷ binary: how many times faster each binary workload is than its float twin (twin time / binary time), by the median and by the fastest run:\n',
  );
  const asTwin = (ratios: readonly SpeedRatio[], how: string): SpeedRatio[] =>
    ratios.map((r) => ({ ...r, versus: `float twin (${how})` }));
  console.log(`${formatRatios([...asTwin(binaryRatios, 'median'), ...asTwin(binaryBestRatios, 'best')])}\n`);
  const wasmColumns = fbtNames.filter((name) => name.startsWith('fbt-wasm'));
  const shares = limit === null ? [] : machineShares(rows, wasmColumns, limit);
  if (limit !== null) {
    console.log(
      `Each fbt wasm column as a share of the machine limit (GFLOP/s ÷ threads × peak per thread) and of the same column's GEMM; its ×N÷×1 as a share of the aggregate scaling:\n`,
    );
    console.log(`${formatShares(shares)}\n`);
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
  const torchRatios = torchResponse
    ? bestRatios(
        rows,
        fbtNames.filter((name) => name.startsWith('fbt-wasm')),
        TORCH_COLUMN,
      )
    : [];
  if (torchResponse) {
    console.log(
      `fbt ÷ PyTorch: how many times faster the fastest fbt wasm column is than PyTorch ${torchResponse.torch} (pytorch median / fbt median):\n`,
    );
    console.log(`${formatTorchRatios(torchRatios, rows, torchResponse)}\n`);
    torchLossWarnings(torchResponse).forEach((line) => console.warn(line));
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
  writeJson(out, rows, baseline, {
    gpu,
    peerRatios: ratios,
    gpuRatios,
    threadRatios,
    binaryRatios,
    binaryBestRatios,
    machine: limit,
    shares,
    pytorch: torchResponse ? torchSummary(torchResponse, torchRatios) : { skipped: describeTorch(torch) },
  });
  console.log(`results written to ${out}`);
}

/** Runs the bench unless the command line asks for help or is wrong (one line, exit 2). */
async function start(): Promise<void> {
  let mode: 'run' | 'help';
  try {
    mode = benchMode(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof BenchUsageError)) throw error;
    process.stderr.write(`bench: ${error.message}\n`);
    process.exitCode = 2;
    return;
  }
  if (mode === 'help') {
    console.log(BENCH_USAGE);
    return;
  }
  const xvfbStatus = rerunUnderXvfb();
  if (xvfbStatus === null) await main();
  else process.exitCode = xvfbStatus;
}

await start();
