import { FbtError, formatShape, sizeOf } from '@fbt/tensor';
import { describeJson, isRecord } from './json-values';

/** A safetensors file that cannot be read: truncated, a bad header, offsets that do not tile the data. */
export class SafetensorsError extends FbtError {}

/** Free-form string metadata stored under the header's `__metadata__` key. */
export type SafetensorsMetadata = Record<string, string>;

/** The element types fbt reads: F32 and I32 as they are, I64 and (on request) F64, F16, BF16 converted. */
export type SafetensorsDType = 'F32' | 'I32' | 'I64' | 'F64' | 'F16' | 'BF16';

/** Bytes per element of each dtype. */
export const DTYPE_BYTES: Readonly<Record<SafetensorsDType, number>> = {
  F32: 4,
  I32: 4,
  I64: 8,
  F64: 8,
  F16: 2,
  BF16: 2,
};

/** One tensor entry of a safetensors header. */
export interface SafetensorsEntry {
  /** The element type (fbt writes `F32` and `I32`). */
  readonly dtype: SafetensorsDType;
  /** Dimension sizes. */
  readonly shape: number[];
  /** `[begin, end)` byte offsets into the data section that follows the header. */
  readonly data_offsets: [number, number];
}

/** The parsed header of a safetensors file: the entries by name, the metadata and where the data starts. */
export interface SafetensorsHeader {
  /** Tensor entries by name (a null-prototype object: any name, `__proto__` included, is an own key). */
  readonly entries: Record<string, SafetensorsEntry>;
  /** The `__metadata__` strings (empty when absent). */
  readonly metadata: SafetensorsMetadata;
  /** Byte offset of the data section in the file. */
  readonly dataStart: number;
}

/** Largest header accepted, as in the reference implementation (100 MB). */
export const MAX_HEADER_BYTES = 100_000_000;

const HEADER_LENGTH_BYTES = 8;
const METADATA_KEY = '__metadata__';
const DTYPES = Object.keys(DTYPE_BYTES).map((d) => `"${d}"`);

/**
 * Parses and validates a safetensors header: the length fits the file and is at most 100 MB, the
 * JSON is an object, every entry has a known dtype, a shape of safe non-negative integers and
 * offsets whose length matches the shape, and the entries tile the data section exactly (no gap,
 * no overlap, nothing past the end). Every problem is a `SafetensorsError`.
 */
export function readSafetensorsHeader(bytes: Uint8Array): SafetensorsHeader {
  if (bytes.length < HEADER_LENGTH_BYTES) {
    throw new SafetensorsError(
      `safetensors: file has ${bytes.length} bytes; expected at least 8 for the header length`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getBigUint64(0, true);
  if (headerLength > BigInt(MAX_HEADER_BYTES)) {
    throw new SafetensorsError(
      `safetensors: header length ${headerLength} exceeds the limit of ${MAX_HEADER_BYTES} bytes`,
    );
  }
  if (headerLength > BigInt(bytes.length - HEADER_LENGTH_BYTES)) {
    throw new SafetensorsError(
      `safetensors: header length ${headerLength} exceeds the ${bytes.length - 8} bytes after it`,
    );
  }
  const dataStart = HEADER_LENGTH_BYTES + Number(headerLength);
  const parsed = parseJson(bytes.subarray(HEADER_LENGTH_BYTES, dataStart));
  if (!isRecord(parsed)) throw new SafetensorsError('safetensors: header is not a JSON object');
  const entries: Record<string, SafetensorsEntry> = Object.create(null);
  let metadata: SafetensorsMetadata = {};
  for (const [name, value] of Object.entries(parsed)) {
    if (name === METADATA_KEY) metadata = parseMetadata(value);
    else entries[name] = parseEntry(name, value);
  }
  checkTiling(entries, bytes.length - dataStart);
  return { entries, metadata, dataStart };
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw new SafetensorsError(`safetensors: header is not valid UTF-8 JSON (${(e as Error).message})`);
  }
}

function parseEntry(name: string, value: unknown): SafetensorsEntry {
  if (!isRecord(value)) throw new SafetensorsError(`safetensors: entry '${name}' is not an object`);
  const { dtype, shape, data_offsets: offsets } = value;
  if (typeof dtype !== 'string' || !Object.hasOwn(DTYPE_BYTES, dtype)) {
    throw new SafetensorsError(
      `safetensors: entry '${name}' has dtype ${describeJson(dtype)}; expected one of ${DTYPES.join(', ')}`,
    );
  }
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new SafetensorsError(
      `safetensors: entry '${name}' has shape ${describeJson(shape)}; expected safe non-negative integers`,
    );
  }
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) ||
    (offsets[1] as number) < (offsets[0] as number)
  ) {
    throw new SafetensorsError(
      `safetensors: entry '${name}' has data_offsets ${describeJson(offsets)}; expected [begin, end] with 0 <= begin <= end`,
    );
  }
  const type = dtype as SafetensorsDType;
  const dims = shape as number[];
  const [begin, end] = offsets as [number, number];
  const needed = sizeOf(dims) * DTYPE_BYTES[type];
  if (end - begin !== needed) {
    throw new SafetensorsError(
      `safetensors: entry '${name}' spans ${end - begin} bytes; shape ${formatShape(dims)} of ${type} needs ${needed}`,
    );
  }
  return { dtype: type, shape: dims, data_offsets: [begin, end] };
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
