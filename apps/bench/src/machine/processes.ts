import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The child script (dist/gemm-child.js, beside dist/main.js). */
const CHILD = fileURLToPath(new URL('./gemm-child.js', import.meta.url));

/** Which product a process runs: the float GEMM, or the bit-packed ±1 GEMM (XNOR-popcount). */
export type GemmKind = 'float' | 'binary';

/** The same single-threaded GEMM run alone and in N processes at once. */
export interface ProcessScaling {
  /** The product, `m x k · k x n`. */
  readonly shape: string;
  /** Float multiply-adds (FMA units) or integer XNOR-popcounts (integer ALUs). */
  readonly kind: GemmKind;
  /** Processes run at once. */
  readonly processes: number;
  /** GFLOP/s of the process alone. */
  readonly aloneGflops: number;
  /** GFLOP/s of all processes together (the sum of each one's rate). */
  readonly aggregateGflops: number;
  /** aggregate ÷ alone: the machine's aggregate scaling, the most any N-thread speed-up can reach. */
  readonly scaling: number;
}

/** Runs `count` children at once; resolves to each one's wall time for `reps` products, in ms. */
async function runChildren(
  count: number,
  dims: readonly number[],
  reps: number,
  kind: GemmKind,
): Promise<number[]> {
  const children = Array.from(
    { length: count },
    () =>
      new Promise<number>((resolve, reject) => {
        const child = spawn(process.execPath, [CHILD, ...dims.map(String), String(reps), kind], {
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        let text = '';
        child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
        child.on('error', reject);
        child.on('close', (code) => {
          if (code !== 0) reject(new Error(`gemm child exited with ${code}`));
          else resolve((JSON.parse(text) as { ms: number }).ms);
        });
      }),
  );
  return Promise.all(children);
}

/**
 * Times an `m x k · k x n` GEMM of `kind` on one kernel thread in one child process, then in
 * `processes` children at once (no code or memory of ours shared between them), about `targetMs`
 * each. Float and binary GEMMs load different units (FMA pipes, integer ALUs), which two hardware
 * threads of one core may share differently, so each kind has its own aggregate scaling.
 */
export async function measureProcessScaling(
  processes: number,
  [m, k, n]: readonly [number, number, number] = [256, 256, 256],
  kind: GemmKind = 'float',
  targetMs = 1000,
): Promise<ProcessScaling> {
  const flops = 2 * m * k * n;
  const [probe] = await runChildren(1, [m, k, n], 20, kind);
  const reps = Math.max(20, Math.round((20 * targetMs) / probe!));
  const [alone] = await runChildren(1, [m, k, n], reps, kind);
  const together = await runChildren(processes, [m, k, n], reps, kind);
  const aloneGflops = (reps * flops) / alone! / 1e6;
  const aggregateGflops = together.reduce((sum, ms) => sum + (reps * flops) / ms / 1e6, 0);
  return {
    shape: kind === 'binary' ? `${m}x${k} · (${n}x${k})ᵀ` : `${m}x${k} · ${k}x${n}`,
    kind,
    processes,
    aloneGflops,
    aggregateGflops,
    scaling: aggregateGflops / aloneGflops,
  };
}
