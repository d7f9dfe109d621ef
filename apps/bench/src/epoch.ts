import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { epochBatchSizes, EpochUsageError } from './epoch/args';
import { disposeEpochData, loadEpochData } from './epoch/data';
import { timeEpoch, type EpochTiming } from './epoch/measure';
import { epochCpuRatio, epochRatio, formatEpochTable } from './epoch/report';
import { setUpWasmVariants } from './wasm-variants';

/** Issue 13's bound on an epoch: at most this many times steps × the isolated step time. */
const EPOCH_BOUND = 1.15;

/**
 * `pnpm --filter @fbt/bench epoch`: one full-MNIST epoch of LeNet-5 through the training loop of
 * @fbt/layers (`fitEpochs`, as apps/repro uses it) per batch size, against steps × the bench's
 * isolated step time measured in the same process.
 */
async function main(sizes: readonly number[]): Promise<void> {
  const wasm = setUpWasmVariants();
  const backend = wasm.backends[0] ?? 'cpu';
  console.log(`fbt epoch bench: LeNet-5 (ReLU, SGD lr 0.01) on full MNIST, backend ${backend}`);
  console.log(wasm.description);
  const data = await loadEpochData();
  const timings: EpochTiming[] = [];
  try {
    for (const batchSize of sizes) {
      process.stdout.write(`  batch ${batchSize} ...\n`);
      timings.push(await timeEpoch(backend, data, batchSize));
    }
  } finally {
    disposeEpochData(data);
  }
  console.log(`\n${formatEpochTable(timings)}\n`);
  for (const t of timings) {
    const ratio = epochRatio(t);
    const verdict = ratio <= EPOCH_BOUND ? 'within' : 'OVER';
    console.log(
      `batch ${t.batchSize}: epoch ÷ (steps × step) = ${ratio.toFixed(3)} (${epochCpuRatio(t).toFixed(3)} in CPU time), ${verdict} the ${EPOCH_BOUND} bound`,
    );
  }
  const out = fileURLToPath(new URL('../results/epoch.json', import.meta.url));
  mkdirSync(dirname(out), { recursive: true });
  const report = {
    date: new Date().toISOString(),
    node: process.version,
    backend,
    bound: EPOCH_BOUND,
    timings,
  };
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`results written to ${out}`);
}

try {
  await main(epochBatchSizes(process.argv.slice(2)));
} catch (error) {
  if (!(error instanceof EpochUsageError)) throw error;
  process.stderr.write(`epoch: ${error.message}\n`);
  process.exitCode = 2;
}
