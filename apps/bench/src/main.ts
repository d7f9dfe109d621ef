import { availableParallelism, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Contender } from './contender';
import { fbtContender } from './contenders/fbt';
import { naiveContender } from './contenders/naive';
import { formatTable, writeJson, type Cell, type Row } from './report';
import { measure } from './timing';
import { createWorkloads, type Workload } from './workloads';

/** The first contender is the baseline that the speed-ups and output checks refer to. */
const contenders: readonly Contender[] = [naiveContender, fbtContender('cpu')];

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

function benchWorkload(workload: Workload): Row {
  const [baseline] = contenders;
  const cells: Record<string, Cell> = {};
  let baselineMs = NaN;
  let reference: Float32Array[] = [];
  for (const contender of contenders) {
    const run = contender.prepare(workload);
    if (run === null) continue;
    const outputs = run();
    if (contender === baseline) reference = outputs;
    const timing = measure(run);
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

function main(): void {
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
  for (const row of rows) {
    for (const [name, cell] of Object.entries(row.cells)) {
      if (cell.maxRelError > 1e-4)
        console.warn(
          `warning: ${name} differs from ${baseline} on ${row.workload.id} by ${cell.maxRelError}`,
        );
    }
  }
  const out = fileURLToPath(new URL('../results/latest.json', import.meta.url));
  writeJson(out, rows, baseline);
  console.log(`results written to ${out}`);
}

main();
