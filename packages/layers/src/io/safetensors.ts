import { ArgumentError, checkOptions, type DType } from '@fbt/tensor';
import type { StateDict } from '../module';
import { decodeEntry } from './safetensors-decode';
import {
  SafetensorsError,
  readSafetensorsHeader,
  type SafetensorsEntry,
  type SafetensorsMetadata,
} from './safetensors-header';
import { emptyStateDict } from './state-dict';
import { toStateDict, type StateSource } from './state-source';

export {
  MAX_HEADER_BYTES,
  SafetensorsError,
  readSafetensorsHeader,
  type SafetensorsDType,
  type SafetensorsEntry,
  type SafetensorsHeader,
  type SafetensorsMetadata,
} from './safetensors-header';

const HEADER_LENGTH_BYTES = 8;
const ELEMENT_BYTES = 4;
const METADATA_KEY = '__metadata__';
const DTYPE_CODES: Record<DType, 'F32' | 'I32'> = { float32: 'F32', int32: 'I32' };
const CONVERTIBLE = new Set(['F64', 'F16', 'BF16']);

/**
 * Serialises a module's state (or a state dict) in the safetensors format, readable by PyTorch's
 * `safetensors.torch.load_file`. Layout: an 8-byte little-endian header length N, N bytes of JSON
 * (padded with spaces to a multiple of 8), then the tensors' little-endian bytes, back to back in
 * the order of the sorted names.
 *
 * @example
 * const bytes = saveSafetensors(model, { epoch: '3' });
 */
export function saveSafetensors(source: StateSource, metadata?: SafetensorsMetadata): Uint8Array {
  const state = toStateDict(source);
  const names = Object.keys(state).sort();
  const header: Record<string, SafetensorsEntry | SafetensorsMetadata> = Object.create(null);
  if (metadata !== undefined) header[METADATA_KEY] = checkedMetadata(metadata);
  let offset = 0;
  for (const name of names) {
    const t = state[name]!;
    const bytes = t.size * ELEMENT_BYTES;
    header[name] = {
      dtype: DTYPE_CODES[t.dtype],
      shape: [...t.shape],
      data_offsets: [offset, offset + bytes],
    };
    offset += bytes;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerBytes = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(HEADER_LENGTH_BYTES + headerBytes + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes), true);
  out.set(json, HEADER_LENGTH_BYTES);
  out.fill(0x20, HEADER_LENGTH_BYTES + json.length, HEADER_LENGTH_BYTES + headerBytes);
  let at = HEADER_LENGTH_BYTES + headerBytes;
  for (const name of names) {
    const t = state[name]!;
    const values = t.dataSync();
    if (t.dtype === 'int32')
      for (let i = 0; i < values.length; i++, at += 4) view.setInt32(at, values[i]!, true);
    else for (let i = 0; i < values.length; i++, at += 4) view.setFloat32(at, values[i]!, true);
  }
  return out;
}

/** Options of `loadSafetensors`. */
export interface LoadSafetensorsOptions {
  /**
   * Convert `F64`, `F16` and `BF16` tensors to float32 (rounding to nearest). Default false: such a
   * tensor is a `SafetensorsError`, since fbt computes in float32 and the conversion loses precision
   * (F64) or changes the dtype the file declares.
   */
  readonly convertFloats?: boolean;
}

/**
 * Reads the tensors of a safetensors file into a state dict (load it with `module.loadStateDict`).
 * `F32` and `I32` load as they are; `I64` (PyTorch's integer buffers such as BatchNorm's
 * `num_batches_tracked`) as int32, refusing a value outside the int32 range; `F64`, `F16` and `BF16`
 * only with `convertFloats: true`. Any other dtype or a malformed file is a `SafetensorsError`. The
 * state dict has a null prototype, so every name (even `__proto__`) is an own key.
 *
 * @example
 * model.loadStateDict(loadSafetensors(bytes)); // strict: every key must match
 */
export function loadSafetensors(bytes: Uint8Array, options: LoadSafetensorsOptions = {}): StateDict {
  checkOptions(options, { convertFloats: true }, 'loadSafetensors');
  const { entries, dataStart } = readSafetensorsHeader(bytes);
  for (const [name, entry] of Object.entries(entries)) {
    if (CONVERTIBLE.has(entry.dtype) && options.convertFloats !== true) {
      throw new SafetensorsError(
        `safetensors: entry '${name}' has dtype "${entry.dtype}"; expected "F32", "I32" or "I64" (pass { convertFloats: true } to convert F64, F16 and BF16 to float32)`,
      );
    }
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const state = emptyStateDict();
  try {
    for (const [name, entry] of Object.entries(entries)) {
      state[name] = decodeEntry(view, dataStart + entry.data_offsets[0], entry, name);
    }
  } catch (error) {
    for (const t of Object.values(state)) t.dispose();
    throw error;
  }
  return state;
}

/** The `__metadata__` strings of a safetensors file (empty when it has none). */
export function safetensorsMetadata(bytes: Uint8Array): SafetensorsMetadata {
  return readSafetensorsHeader(bytes).metadata;
}

function checkedMetadata(metadata: SafetensorsMetadata): SafetensorsMetadata {
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value !== 'string') {
      throw new ArgumentError(`saveSafetensors: metadata '${key}' is a ${typeof value}; expected a string`);
    }
  }
  return metadata;
}
