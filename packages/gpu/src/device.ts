import { GPU } from 'gpu.js';
import { ArgumentError } from '@fbt/tensor';

/** The gpu.js modes fbt can run on: native GL in Node, WebGL in browsers, or gpu.js's JS fallback. */
export type GpuMode = 'headlessgl' | 'webgl2' | 'webgl' | 'cpu';

/** The requested mode: one of `GpuMode`, or `auto` to pick the best one available. */
export type GpuModeRequest = GpuMode | 'auto';

const MODES: readonly GpuModeRequest[] = ['auto', 'headlessgl', 'webgl2', 'webgl', 'cpu'];

/** Which gpu.js mode a backend runs on, and why. */
export interface GpuDeviceInfo {
  /** The active gpu.js mode. */
  readonly mode: GpuMode;
  /** The mode that was asked for. */
  readonly requested: GpuModeRequest;
  /** One sentence on why `mode` was chosen (and, on a fallback, what was missing). */
  readonly reason: string;
  /** Largest texture side in texels (`Infinity` in `cpu` mode). A tensor may hold up to its square. */
  readonly maxTextureSize: number;
  /** True when kernels run on a GL device rather than in JavaScript. */
  readonly accelerated: boolean;
}

/** The parts of a gpu.js texture fbt uses. */
export interface TextureHandle {
  toArray(): Float32Array;
  delete(): void;
}

/** What a compiled kernel returns: a texture on GL modes, a plain array in `cpu` mode. */
export type KernelResult = TextureHandle | Float32Array;

/** A compiled gpu.js kernel, called with textures (or arrays) and number-array parameters. */
export type CompiledKernel = (...args: (KernelResult | Float32Array)[]) => KernelResult;

/** Settings of one kernel compilation. */
export interface KernelSettings {
  /** Number of output elements (the kernel's output is 1-D; gpu.js lays it out on a square texture). */
  readonly outputSize: number;
  /** Upper bound of every loop in the source. */
  readonly loopMaxIterations: number;
}

/** A gpu.js instance together with the mode it runs in. */
export interface GpuDevice {
  readonly info: GpuDeviceInfo;
  /** Compiles a kernel from its source text (a JS `function (...) {...}` over `this.thread.x`). */
  compile(source: string, settings: KernelSettings): CompiledKernel;
  /** Adds a helper function that every later kernel can call. */
  addFunction(source: string, argumentNames: readonly string[]): void;
  /** Frees the GL context and every compiled kernel. */
  destroy(): void;
}

interface GpuJsInstance {
  createKernel(source: string, settings: Record<string, unknown>): CompiledKernel;
  addFunction(source: string, settings: Record<string, unknown>): void;
  destroy(): void;
  context?: { getParameter(name: number): unknown; MAX_TEXTURE_SIZE: number } | null;
}

const isNode = (): boolean =>
  typeof process !== 'undefined' &&
  typeof process.versions === 'object' &&
  process.versions.node !== undefined;

function supported(mode: GpuMode): boolean {
  try {
    switch (mode) {
      case 'headlessgl':
        return isNode() && GPU.isHeadlessGLSupported;
      case 'webgl2':
        return !isNode() && GPU.isWebGL2Supported;
      case 'webgl':
        return !isNode() && GPU.isWebGLSupported;
      case 'cpu':
        return true;
    }
  } catch {
    return false;
  }
}

const WHY_NOT: Record<Exclude<GpuMode, 'cpu'>, string> = {
  headlessgl:
    "the native 'gl' module did not load or could not create a context (build it with build tools and " +
    'the X/GL headers; without a display run under `xvfb-run -a`)',
  webgl2: 'WebGL2 is not available (this is Node, or the browser lacks it)',
  webgl: 'WebGL is not available (this is Node, or the browser lacks it)',
};

/** Chooses the gpu.js mode for a request and explains the choice. */
export function chooseMode(requested: GpuModeRequest): { mode: GpuMode; reason: string } {
  if (!MODES.includes(requested)) {
    throw new ArgumentError(
      `registerGpuBackend: mode '${String(requested)}' is unknown; expected one of ${MODES.join(', ')}`,
    );
  }
  if (requested === 'cpu')
    return { mode: 'cpu', reason: "mode 'cpu' was requested: gpu.js runs the kernels in JavaScript" };
  if (requested !== 'auto') {
    if (supported(requested))
      return { mode: requested, reason: `mode '${requested}' was requested and is available` };
    return {
      mode: 'cpu',
      reason: `mode '${requested}' was requested but ${WHY_NOT[requested]}; falling back to gpu.js 'cpu' mode`,
    };
  }
  if (isNode()) {
    if (supported('headlessgl'))
      return { mode: 'headlessgl', reason: "Node with a working native 'gl' module" };
    return {
      mode: 'cpu',
      reason: `no GPU in Node: ${WHY_NOT.headlessgl}; falling back to gpu.js 'cpu' mode`,
    };
  }
  if (supported('webgl2')) return { mode: 'webgl2', reason: 'a browser with WebGL2' };
  if (supported('webgl')) return { mode: 'webgl', reason: 'a browser with WebGL 1 only (WebGL2 is missing)' };
  return { mode: 'cpu', reason: "a browser without WebGL; falling back to gpu.js 'cpu' mode" };
}

/** Whether gpu.js can run on a GL device here, and why (see `glAvailability`). */
export interface GlAvailability {
  /** True when `mode: 'auto'` picks a GL mode (`headlessgl` in Node, `webgl2`/`webgl` in a browser). */
  readonly available: boolean;
  /** The reason `chooseMode('auto')` gives: the GL mode found, or why it falls back to gpu.js `cpu`. */
  readonly reason: string;
}

/**
 * Whether a GL device is available to the gpu backend, with the reason. Test suites use it to skip
 * their GL tests (printing `reason`) where there is no device, or to fail where one is required.
 */
export function glAvailability(): GlAvailability {
  const { mode, reason } = chooseMode('auto');
  return { available: mode !== 'cpu', reason };
}

const KERNEL_DEFAULTS = {
  pipeline: true,
  immutable: true,
  precision: 'single',
  tactic: 'precision',
  dynamicOutput: false,
  dynamicArguments: false,
} as const;

/**
 * Starts gpu.js in `mode` and runs a one-element kernel (gpu.js creates its GL context lazily).
 * Returns the instance and the maximum texture side, or throws when the device cannot run.
 */
function start(mode: GpuMode): { gpu: GpuJsInstance; maxTextureSize: number } {
  const gpu = new GPU({ mode }) as unknown as GpuJsInstance;
  if (mode === 'cpu') return { gpu, maxTextureSize: Infinity };
  try {
    const probe = gpu.createKernel('function (a) { return a[this.thread.x] + 1; }', {
      ...KERNEL_DEFAULTS,
      output: [1],
    });
    const out = probe(new Float32Array([1]));
    const values = out instanceof Float32Array ? out : out.toArray();
    if (values[0] !== 2) throw new Error(`probe kernel returned ${values[0]} instead of 2`);
    if (!(out instanceof Float32Array)) out.delete();
    const context = gpu.context;
    const side = context ? Number(context.getParameter(context.MAX_TEXTURE_SIZE)) : NaN;
    return { gpu, maxTextureSize: Number.isFinite(side) && side > 0 ? side : 4096 };
  } catch (error) {
    gpu.destroy();
    throw error;
  }
}

/** Creates a gpu.js device for a mode request, falling back to `cpu` mode when the GL device fails to start. */
export function createDevice(requested: GpuModeRequest): GpuDevice {
  const choice = chooseMode(requested);
  let { mode, reason } = choice;
  let started: { gpu: GpuJsInstance; maxTextureSize: number };
  try {
    started = start(mode);
  } catch (error) {
    reason = `mode '${mode}' was chosen (${reason}) but failed to start: ${(error as Error).message}; falling back to gpu.js 'cpu' mode`;
    mode = 'cpu';
    started = start('cpu');
  }
  const { gpu, maxTextureSize } = started;
  const info: GpuDeviceInfo = { mode, requested, reason, maxTextureSize, accelerated: mode !== 'cpu' };
  return {
    info,
    compile(source, settings) {
      return gpu.createKernel(source, {
        ...KERNEL_DEFAULTS,
        output: [settings.outputSize],
        loopMaxIterations: Math.max(1, settings.loopMaxIterations),
      });
    },
    addFunction(source, argumentNames) {
      const argumentTypes: Record<string, string> = {};
      for (const name of argumentNames) argumentTypes[name] = 'Number';
      gpu.addFunction(source, { argumentTypes, returnType: 'Number' });
    },
    destroy() {
      gpu.destroy();
    },
  };
}
