import { FbtError, formatShape, sizeOf, tensor, type DType } from '@fbt/tensor';
import type { StateDict } from '../module';
import { describeJson, isRecord } from './json-values';
import { emptyStateDict } from './state-dict';
import { toStateDict, type StateSource } from './state-source';

/** A JSON weight file that cannot be read: bad JSON, a wrong format tag, values that do not fit a shape. */
export class StateJSONError extends FbtError {}

/** The format tag written into every JSON weight file. */
export const STATE_JSON_FORMAT = 'fbt-state-dict/1';

/** One tensor of a JSON weight file. */
export interface StateJSONEntry {
  /** `float32` or `int32`. */
  readonly dtype: DType;
  /** Dimension sizes. */
  readonly shape: number[];
  /** The elements in row-major order. */
  readonly data: number[];
}

/** The document written by `saveJSON`. */
export interface StateJSON {
  /** Always `STATE_JSON_FORMAT`. */
  readonly format: typeof STATE_JSON_FORMAT;
  /** Tensors by dotted name. */
  readonly tensors: Record<string, StateJSONEntry>;
}

/**
 * Serialises a module's state (or a state dict) as JSON text. float32 values survive the round
 * trip exactly (JSON numbers are doubles).
 */
export function saveJSON(source: StateSource): string {
  const state = toStateDict(source);
  const tensors: Record<string, StateJSONEntry> = Object.create(null);
  for (const [name, t] of Object.entries(state)) {
    tensors[name] = { dtype: t.dtype, shape: [...t.shape], data: Array.from(t.dataSync()) };
  }
  const doc: StateJSON = { format: STATE_JSON_FORMAT, tensors };
  return JSON.stringify(doc);
}

/** Reads JSON text written by `saveJSON` into a state dict, validating every entry. */
export function loadJSON(text: string): StateDict {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new StateJSONError(`loadJSON: not valid JSON (${(e as Error).message})`);
  }
  if (!isRecord(doc) || doc.format !== STATE_JSON_FORMAT || !isRecord(doc.tensors)) {
    throw new StateJSONError(
      `loadJSON: expected an object with format '${STATE_JSON_FORMAT}' and a 'tensors' object`,
    );
  }
  const state = emptyStateDict();
  for (const [name, entry] of Object.entries(doc.tensors)) {
    if (!isRecord(entry)) throw new StateJSONError(`loadJSON: entry '${name}' is not an object`);
    const { dtype, shape, data } = entry;
    if (dtype !== 'float32' && dtype !== 'int32') {
      throw new StateJSONError(
        `loadJSON: entry '${name}' has dtype ${describeJson(dtype)}; expected "float32" or "int32"`,
      );
    }
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      throw new StateJSONError(
        `loadJSON: entry '${name}' has shape ${describeJson(shape)}; expected safe non-negative integers`,
      );
    }
    if (!Array.isArray(data) || !data.every((v) => typeof v === 'number')) {
      throw new StateJSONError(`loadJSON: entry '${name}' has no numeric 'data' array`);
    }
    const dims = shape as number[];
    if (data.length !== sizeOf(dims)) {
      throw new StateJSONError(
        `loadJSON: entry '${name}' has ${data.length} values; shape ${formatShape(dims)} needs ${sizeOf(dims)}`,
      );
    }
    const values =
      dtype === 'int32' ? Int32Array.from(data as number[]) : Float32Array.from(data as number[]);
    state[name] = tensor(values, dims);
  }
  return state;
}
