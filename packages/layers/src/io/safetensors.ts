import { ArgumentError, FbtError, formatShape, sizeOf, tensor, type DType } from '@fbt/tensor';
import type { StateDict } from '../module';
import { toStateDict, type StateSource } from './state-source';

/** A safetensors file that cannot be read: truncated, a bad header, offsets that do not tile the data. */
export class SafetensorsError extends FbtError {}

/** Free-form string metadata stored under the header's `__metadata__` key. */
export type SafetensorsMetadata = Record<string, string>;

/** One tensor entry of a safetensors header. */
export interface SafetensorsEntry {
  /** `F32` or `I32` (the dtypes fbt stores). */
  readonly dtype: 'F32' | 'I32';
  /** Dimension sizes. */
  readonly shape: number[];
  /** `[begin, end)` byte offsets into the data section that follows the header. */
  readonly data_offsets: [number, number];
}

const HEADER_LENGTH_BYTES = 8;
const ELEMENT_BYTES = 4;
const METADATA_KEY = '__metadata__';
const DTYPE_CODES: Record<DType, 'F32' | 'I32'> = { float32: 'F32', int32: 'I32' };

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
  const header: Record<string, SafetensorsEntry | SafetensorsMetadata> = {};
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

/** The parsed header of a safetensors file: the entries by name, the metadata and where the data starts. */
export interface SafetensorsHeader {
  /** Tensor entries by name. */
  readonly entries: Record<string, SafetensorsEntry>;
  /** The `__metadata__` strings (empty when absent). */
  readonly metadata: SafetensorsMetadata;
  /** Byte offset of the data section in the file. */
  readonly dataStart: number;
}

/**
 * Parses and validates a safetensors header: the length fits the file, the JSON is an object,
 * every entry has a supported dtype, a valid shape and offsets whose length matches the shape, and
 * the entries tile the data section exactly (no gap, no overlap, nothing past the end).
 */
export function readSafetensorsHeader(bytes: Uint8Array): SafetensorsHeader {
  if (bytes.length < HEADER_LENGTH_BYTES) {
    throw new SafetensorsError(
      `safetensors: file has ${bytes.length} bytes; expected at least 8 for the header length`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getBigUint64(0, true);
  if (headerLength > BigInt(bytes.length - HEADER_LENGTH_BYTES)) {
    throw new SafetensorsError(
      `safetensors: header length ${headerLength} exceeds the ${bytes.length - 8} bytes after it`,
    );
  }
  const dataStart = HEADER_LENGTH_BYTES + Number(headerLength);
  let parsed: unknown;
  try {
    parsed = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(HEADER_LENGTH_BYTES, dataStart)),
    );
  } catch (e) {
    throw new SafetensorsError(`safetensors: header is not valid UTF-8 JSON (${(e as Error).message})`);
  }
  if (!isRecord(parsed)) throw new SafetensorsError('safetensors: header is not a JSON object');
  const entries: Record<string, SafetensorsEntry> = {};
  let metadata: SafetensorsMetadata = {};
  for (const [name, value] of Object.entries(parsed)) {
    if (name === METADATA_KEY) metadata = parseMetadata(value);
    else entries[name] = parseEntry(name, value);
  }
  checkTiling(entries, bytes.length - dataStart);
  return { entries, metadata, dataStart };
}

/**
 * Reads the tensors of a safetensors file into a state dict (load it with `module.loadStateDict`).
 * Only `F32` and `I32` tensors are supported; anything else is a `SafetensorsError`.
 */
export function loadSafetensors(bytes: Uint8Array): StateDict {
  const { entries, dataStart } = readSafetensorsHeader(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const state: StateDict = {};
  for (const [name, entry] of Object.entries(entries)) {
    const n = sizeOf(entry.shape);
    const begin = dataStart + entry.data_offsets[0];
    if (entry.dtype === 'I32') {
      const values = new Int32Array(n);
      for (let i = 0; i < n; i++) values[i] = view.getInt32(begin + i * 4, true);
      state[name] = tensor(values, entry.shape);
    } else {
      const values = new Float32Array(n);
      for (let i = 0; i < n; i++) values[i] = view.getFloat32(begin + i * 4, true);
      state[name] = tensor(values, entry.shape);
    }
  }
  return state;
}

/** The `__metadata__` strings of a safetensors file (empty when it has none). */
export function safetensorsMetadata(bytes: Uint8Array): SafetensorsMetadata {
  return readSafetensorsHeader(bytes).metadata;
}

function parseEntry(name: string, value: unknown): SafetensorsEntry {
  if (!isRecord(value)) throw new SafetensorsError(`safetensors: entry '${name}' is not an object`);
  const { dtype, shape, data_offsets: offsets } = value;
  if (dtype !== 'F32' && dtype !== 'I32') {
    throw new SafetensorsError(
      `safetensors: entry '${name}' has dtype ${JSON.stringify(dtype)}; expected "F32" or "I32"`,
    );
  }
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new SafetensorsError(
      `safetensors: entry '${name}' has shape ${JSON.stringify(shape)}; expected non-negative integers`,
    );
  }
  const dims = shape as number[];
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) ||
    (offsets[1] as number) < (offsets[0] as number)
  ) {
    throw new SafetensorsError(
      `safetensors: entry '${name}' has data_offsets ${JSON.stringify(offsets)}; expected [begin, end] with 0 <= begin <= end`,
    );
  }
  const [begin, end] = offsets as [number, number];
  if (end - begin !== sizeOf(dims) * ELEMENT_BYTES) {
    throw new SafetensorsError(
      `safetensors: entry '${name}' spans ${end - begin} bytes; shape ${formatShape(dims)} of ${dtype} needs ${sizeOf(dims) * ELEMENT_BYTES}`,
    );
  }
  return { dtype, shape: dims, data_offsets: [begin, end] };
}

function parseMetadata(value: unknown): SafetensorsMetadata {
  if (!isRecord(value) || !Object.values(value).every((v) => typeof v === 'string')) {
    throw new SafetensorsError('safetensors: __metadata__ must be an object of strings');
  }
  return value as SafetensorsMetadata;
}

function checkTiling(entries: Record<string, SafetensorsEntry>, dataLength: number): void {
  const spans = Object.entries(entries)
    .map(([name, e]) => ({ name, begin: e.data_offsets[0], end: e.data_offsets[1] }))
    .sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  for (const span of spans) {
    if (span.begin !== expected) {
      throw new SafetensorsError(
        `safetensors: entry '${span.name}' starts at byte ${span.begin}; expected ${expected} (entries must tile the data without gaps or overlaps)`,
      );
    }
    expected = span.end;
  }
  if (expected !== dataLength) {
    throw new SafetensorsError(
      `safetensors: entries cover ${expected} bytes but the data section has ${dataLength}`,
    );
  }
}

function checkedMetadata(metadata: SafetensorsMetadata): SafetensorsMetadata {
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value !== 'string') {
      throw new ArgumentError(`saveSafetensors: metadata '${key}' is a ${typeof value}; expected a string`);
    }
  }
  return metadata;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
