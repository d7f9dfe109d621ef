import { engine, type KernelRecord, type OpObserver, type Tensor } from '@fbt/tensor';
import { GradientError } from './errors';
import { GradNode, type NodeBackward } from './node';
import { getGradient, isNonDifferentiable } from './registry';
import { registerBuiltinGradients } from './gradients';
import { shared, tapeState } from './state';

/** The backward of a recorded kernel call: the gradient registered under the kernel's name. */
const kernelBackward: NodeBackward = {
  run(node, dy) {
    const fn = getGradient(node.name);
    if (fn === undefined) {
      throw new GradientError(
        `backward: kernel '${node.name}' has no registered gradient, but its input requires one; ` +
          `register one with registerGradient('${node.name}', fn), or give the op a backward with customOp`,
      );
    }
    return fn(dy, node.inputs, node.attrs as Record<string, unknown>, node.outputs);
  },
};

/** True when some tensor of `inputs` takes part in gradient computation. */
export function anyRequiresGrad(inputs: readonly Tensor[]): boolean {
  for (const t of inputs) if (t.requiresGrad) return true;
  return false;
}

/** Attaches `node` to the float32 outputs of a call, which from now on require a gradient. */
export function attachNode(node: GradNode): void {
  for (const out of node.outputs) {
    if (out.dtype !== 'float32') continue;
    out.gradNode = node;
    out.requiresGrad = true;
  }
}

function recordKernel(record: KernelRecord): void {
  if (!tapeState().gradEnabled || isNonDifferentiable(record.kernelName) || !anyRequiresGrad(record.inputs))
    return;
  if (!record.outputs.some((t) => t.dtype === 'float32')) return;
  attachNode(
    new GradNode(record.kernelName, record.inputs, record.attrs, record.outputs, [], kernelBackward),
  );
}

/**
 * Installs the recording observer on @fbt/tensor's engine (once per process; an observer installed
 * by someone else keeps being called) and registers the built-in gradients. @fbt/autograd calls it
 * when it is imported and again from its public entry points, so a bundler that drops the import-time
 * call still gets a working tape before the first `backward`.
 */
export function installTape(): void {
  const installed = shared('installed', () => ({ done: false }));
  if (installed.done) return;
  installed.done = true;
  registerBuiltinGradients();
  const e = engine();
  const previous = e.observer;
  const observer: OpObserver =
    previous === null
      ? { onKernel: recordKernel }
      : {
          onKernel(record) {
            previous.onKernel(record);
            recordKernel(record);
          },
        };
  e.observer = observer;
}

/**
 * Sets whether kernel calls are recorded and returns the previous setting, for a try/finally restore
 * that allocates no closure (`customOp` calls it on every forward).
 */
export function swapGradMode(enabled: boolean): boolean {
  const state = tapeState();
  const previous = state.gradEnabled;
  state.gradEnabled = enabled;
  return previous;
}

function withGradMode<T>(enabled: boolean, fn: () => T): T {
  installTape();
  const previous = swapGradMode(enabled);
  try {
    return fn();
  } finally {
    swapGradMode(previous);
  }
}

/**
 * Runs `fn` without recording: tensors it computes do not require a gradient (evaluation,
 * optimizer updates, metrics).
 */
export function noGrad<T>(fn: () => T): T {
  return withGradMode(false, fn);
}

/** Runs `fn` with recording on, even inside `noGrad`. */
export function enableGrad<T>(fn: () => T): T {
  return withGradMode(true, fn);
}

/** True when kernel calls are being recorded (outside `noGrad`). */
export function isGradEnabled(): boolean {
  installTape();
  return tapeState().gradEnabled;
}
