import type { Workload } from '../workloads';
import type { TorchResponse } from './protocol';
import type { TorchPython } from './python';
import { runTorch } from './run';

/** The report's line about the PyTorch column: which Python and torch run it, or why it is skipped. */
export function describeTorch(torch: TorchPython): string {
  return torch.found
    ? `pytorch: torch ${torch.torchVersion} (CPU) via ${torch.python}, best of 1 and 2 threads, timed after the other columns in its own process`
    : `pytorch column skipped: ${torch.reason}`;
}

/** The workload kinds python/torch_bench.py runs (the binary workloads and their MLP twin are fbt's alone). */
const TORCH_KINDS: ReadonlySet<string> = new Set([
  'matmul',
  'conv2dForward',
  'conv2dBackward',
  'trainingStep',
]);

/**
 * PyTorch's results on those of `workloads` it runs (`TORCH_KINDS`) through `script`, or null (after a warning on stderr) when
 * there is no Python with torch or the script failed, so the rest of the report still comes out.
 */
export function benchTorch(
  torch: TorchPython,
  script: string,
  workloads: readonly Workload[],
): TorchResponse | null {
  if (!torch.found) return null;
  try {
    return runTorch(
      torch.python,
      script,
      workloads.filter((w) => TORCH_KINDS.has(w.spec.kind)),
    );
  } catch (error) {
    console.warn(`warning: pytorch column dropped: ${(error as Error).message}`);
    process.exitCode = 1;
    return null;
  }
}
