import type { TensorInfo } from '../../../backend/interface';
import { WASM_IMPORTS } from '../../../formula/functions';
import { parseExpr } from '../../../formula/parse';
import type { WasmBackend } from '../backend';
import type { Formula } from '../threads/dispatch';
import { emitExprModule } from '../formula';
import { defineKernel, type WasmKernelDef } from './define';

interface MapExprAttrs {
  expr: string;
  names: string[];
  params: Record<string, number>;
}

/**
 * A compiled formula module, its bytes (for the pool's threads to compile), its slot number and
 * the hidden parameters it reads after the formula's own (`ExprModule.constants`).
 */
interface CompiledFormula {
  readonly module: WebAssembly.Module;
  readonly bytes: Uint8Array;
  readonly slot: number;
  readonly constants: readonly number[];
}

/** A formula bound to one backend's memory, with its module's hidden parameters. */
interface BoundFormula extends Formula {
  readonly constants: readonly number[];
}

/** Compiled modules, shared by every backend instance: one per (expression, names, params, input dtypes). */
const modules = new Map<string, CompiledFormula>();
/** Formulas bound to one backend's memory. */
const instances = new WeakMap<WasmBackend, Map<string, BoundFormula>>();

function compile(
  backend: WasmBackend,
  expr: string,
  names: readonly string[],
  paramNames: readonly string[],
  intInputs: readonly boolean[],
): BoundFormula {
  const shared = backend.sharedMemoryPages();
  const key = `${names.join(',')}|${paramNames.join(',')}|${intInputs.map(Number).join('')}|${shared}|${expr}`;
  let own = instances.get(backend);
  if (own === undefined) {
    own = new Map();
    instances.set(backend, own);
  }
  let formula = own.get(key);
  if (formula === undefined) {
    let compiled = modules.get(key);
    if (compiled === undefined) {
      const root = parseExpr(expr, names, paramNames);
      const { bytes, constants } = emitExprModule(root, intInputs, paramNames.length, shared);
      compiled = { module: new WebAssembly.Module(bytes), bytes, slot: modules.size, constants };
      modules.set(key, compiled);
    }
    const instance = new WebAssembly.Instance(compiled.module, {
      env: { memory: backend.exports.memory },
      m: Object.fromEntries(WASM_IMPORTS.map((name) => [name, backend.exports[name]])),
    });
    formula = {
      slot: compiled.slot,
      bytes: compiled.bytes,
      run: instance.exports.run as Formula['run'],
      constants: compiled.constants,
    };
    own.set(key, formula);
  }
  return formula;
}

/**
 * Evaluates the formula `expr` over `inputs` (one per name in `names`, all of one shape, float32 or
 * int32) into a new float32 tensor, on the pool's threads above the cutoff. The formula is compiled
 * into a small wasm function per (expression, names, params, input dtypes) that loops over the
 * elements in linear memory. It evaluates in float64 with JavaScript's semantics; `log tanh pow`
 * come from the kernel module (musl-derived float64 functions, a wasm-to-wasm call instead of a call
 * out to JS `Math`) and `exp` is evaluated inline (expr/exp.ts, within about 1 float64 ulp), so
 * results agree with the cpu kernel to the last float32 bit except where the two evaluations round
 * an elementary function differently on a value within a float64 ulp of a float32 rounding
 * boundary (none in `test/wasm-formula-ops.test.ts`'s samples).
 */
export function runExpr(
  backend: WasmBackend,
  expr: string,
  names: readonly string[],
  params: Readonly<Record<string, number>>,
  inputs: readonly TensorInfo[],
): TensorInfo {
  const paramNames = Object.keys(params);
  const formula = compile(
    backend,
    expr,
    names,
    paramNames,
    inputs.map((i) => i.dtype === 'int32'),
  );
  const out = backend.output(inputs[0]!.shape);
  const values = [...paramNames.map((p) => params[p]!), ...formula.constants];
  const block = backend.scratchBlock('mapExpr.params', 8 * values.length);
  backend.float64(block, values.length).set(values);
  backend.runFormula(formula, [out.dataId.ptr, ...inputs.map((i) => backend.ptr(i)), out.dataId.size, block]);
  return out;
}

/** `mapExpr` on wasm: the expression (the one source of truth, shared with every backend) through `runExpr`. */
const mapExpr = defineKernel<MapExprAttrs>('mapExpr', (inputs, attrs, backend) =>
  runExpr(backend, attrs.expr, attrs.names, attrs.params, inputs),
);

/** Wasm kernels of the expr family. */
export const exprKernels: readonly WasmKernelDef[] = [mapExpr];
