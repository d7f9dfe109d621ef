import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { backendInfo, chooseMode, registerGpuBackend, type GpuMode } from '@fbt/gpu';

/** Set in the environment of the bench when it re-ran itself under `xvfb-run` (see `rerunUnderXvfb`). */
const UNDER_XVFB = 'FBT_BENCH_UNDER_XVFB';
/** Set to `1` to keep the bench from re-running itself under `xvfb-run`. */
export const NO_XVFB = 'FBT_BENCH_NO_XVFB';

/** Whether GL renders on a GPU or in software, as far as the bench can tell, and why. */
export interface GlRendering {
  readonly kind: 'software' | 'unknown';
  readonly reason: string;
}

/** What the bench found out about the `fbt-gpu` column. */
export interface GpuStatus {
  /** True when the `gpu` backend is registered and runs on a GL device, so `fbt-gpu` is measured. */
  readonly enabled: boolean;
  /** The gpu.js mode the backend runs (or would run) in: `headlessgl`, or `cpu` when GL is missing. */
  readonly mode: GpuMode;
  /** Why that mode, in @fbt/gpu's words. */
  readonly reason: string;
  /** How GL renders; null when the column is skipped. */
  readonly rendering: GlRendering | null;
}

/**
 * In Linux without a display, runs this same bench as a child under `xvfb-run -a` (Xvfb with Mesa
 * gives headless-gl a GL context, so the `fbt-gpu` column can be measured) and returns its exit
 * status. Returns null, and the caller runs the bench itself, when there is a display, when this
 * already is that child, when `FBT_BENCH_NO_XVFB=1`, or when `xvfb-run` is not installed.
 */
export function rerunUnderXvfb(): number | null {
  const env = process.env;
  if (process.platform !== 'linux' || env.DISPLAY || env[UNDER_XVFB] === '1' || env[NO_XVFB] === '1')
    return null;
  const child = spawnSync(
    'xvfb-run',
    ['-a', process.execPath, ...process.execArgv, ...process.argv.slice(1)],
    {
      stdio: 'inherit',
      env: { ...env, [UNDER_XVFB]: '1' },
    },
  );
  if (child.error !== undefined) return null;
  return child.status ?? 1;
}

/**
 * Whether GL renders in software here. headless-gl reports its renderer as `ANGLE` whatever runs
 * below it, so this judges by the display (Xvfb has no GPU access: Mesa renders in software, with
 * llvmpipe) and by the device nodes a GPU driver creates.
 */
function glRendering(): GlRendering {
  const env = process.env;
  if (env[UNDER_XVFB] === '1' || (env.XAUTHORITY ?? '').includes('/xvfb-run.'))
    return {
      kind: 'software',
      reason: 'the display is Xvfb, where Mesa renders GL in software (llvmpipe) on the CPU',
    };
  if (process.platform === 'linux' && !existsSync('/dev/dri') && !existsSync('/dev/nvidia0'))
    return {
      kind: 'software',
      reason: 'there is no GPU device node (/dev/dri, /dev/nvidia0), so GL renders in software on the CPU',
    };
  return {
    kind: 'unknown',
    reason: 'a display and a GPU device node exist; whether GL uses the GPU is not reported by headless-gl',
  };
}

/**
 * Registers @fbt/gpu's backend as `gpu` when gpu.js finds a GL device (headless-gl in Node) and
 * starts it, so that a device that loads but fails its probe kernel is caught here too. Without GL
 * nothing is registered (gpu.js's JavaScript fallback would only measure a slower CPU backend).
 */
export function setUpGpu(): GpuStatus {
  const choice = chooseMode('auto');
  if (choice.mode === 'cpu')
    return { enabled: false, mode: choice.mode, reason: choice.reason, rendering: null };
  registerGpuBackend({ onFallback: () => {} });
  const info = backendInfo();
  if (!info.accelerated) return { enabled: false, mode: info.mode, reason: info.reason, rendering: null };
  return { enabled: true, mode: info.mode, reason: info.reason, rendering: glRendering() };
}

/** One line on the `fbt-gpu` column: what it runs on, or why it is skipped. */
export function describeGpu(status: GpuStatus): string {
  if (!status.enabled) return `fbt-gpu column skipped, no GL device; @fbt/gpu says: ${status.reason}`;
  const rendering = status.rendering!;
  const label = rendering.kind === 'software' ? 'SOFTWARE rendering, not a GPU' : 'renderer not verified';
  return `fbt-gpu: gpu.js ${status.mode} (${status.reason}); ${label}: ${rendering.reason}`;
}
