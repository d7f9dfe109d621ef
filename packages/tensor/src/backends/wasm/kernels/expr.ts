import { WASM_IMPORTS } from '../../../expr-functions';
import { parseExpr } from '../../../expr-parse';
import type { WasmBackend } from '../backend';
import { emitExprModule } from '../expr/module';
import { defineKernel, type WasmKernelDef } from './define';

interface MapExprAttrs {
  expr: string;
  names: string[];
  params: Record<string, number>;
}

/** A compiled formula: `run(out, in₀ … inₖ₋₁, n, params)` over byte addresses of wasm memory. */
type RunFormula = (...args: number[]) => void;

/** Compiled modules, shared by every backend instance: one per (expression, names, params, input dtypes). */
const modules = new Map<string, WebAssembly.Module>();
/** Instances bound to one backend's memory. */
const instances = new WeakMap<WasmBackend, Map<string, RunFormula>>();

function compile(
  backend: WasmBackend,
  attrs: MapExprAttrs,
  paramNames: readonly string[],
  intInputs: readonly boolean[],
): RunFormula {
  const key = `${attrs.names.join(',')}|${paramNames.join(',')}|${intInputs.map(Number).join('')}|${attrs.expr}`;
  let own = instances.get(backend);
  if (own === undefined) {
    own = new Map();
    instances.set(backend, own);
  }
  let run = own.get(key);
  if (run === undefined) {
    let module = modules.get(key);
    if (module === undefined) {
      const root = parseExpr(attrs.expr, attrs.names, paramNames);
      module = new WebAssembly.Module(emitExprModule(root, intInputs, paramNames.length));
      modules.set(key, module);
    }
    const instance = new WebAssembly.Instance(module, {
      env: { memory: backend.exports.memory },
      m: Object.fromEntries(WASM_IMPORTS.map((name) => [name, backend.exports[name]])),
    });
    run = instance.exports.run as RunFormula;
    own.set(key, run);
  }
  return run;
}

/**
 * `mapExpr` on wasm: the expression (the one source of truth, shared with every backend through
 * the formula table) is compiled into a small wasm function per (expression, names, params, input
 * dtypes) that loops over the elements in linear memory. It evaluates in float64 with JavaScript's
 * semantics; `exp log tanh pow` come from the kernel module (musl-derived float64 functions, a
 * wasm-to-wasm call instead of a call out to JS `Math`), so results agree with the cpu kernel to
 * the last float32 bit except where the two float64 libraries round an elementary function differently.
 */
const mapExpr = defineKernel<MapExprAttrs>('mapExpr', (inputs, attrs, backend) => {
  const paramNames = Object.keys(attrs.params);
  const run = compile(
    backend,
    attrs,
    paramNames,
    inputs.map((i) => i.dtype === 'int32'),
  );
  const shape = inputs[0]!.shape;
  const out = backend.output(shape);
  const params = backend.scratchBlock('mapExpr.params', 8 * paramNames.length);
  backend.float64(params, paramNames.length).set(paramNames.map((p) => attrs.params[p]!));
  run(out.dataId.ptr, ...inputs.map((i) => backend.ptr(i)), out.dataId.size, params);
  return out;
});

/** Wasm kernels of the expr family. */
export const exprKernels: readonly WasmKernelDef[] = [mapExpr];
