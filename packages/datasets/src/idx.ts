import { ArgumentError } from '@fbt/tensor';
import { FbtDataError } from './errors';
import { asBytes, gunzipIfNeeded, type BytesLike } from './gzip';

/** The element types of the IDX format (the MNIST file format). */
export type IdxDType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

/** The typed array holding the elements of each IDX element type. */
export interface IdxDataMap {
  uint8: Uint8Array;
  int8: Int8Array;
  int16: Int16Array;
  int32: Int32Array;
  float32: Float32Array;
  float64: Float64Array;
}

/** Any typed array that an IDX file can hold. */
export type IdxData = IdxDataMap[IdxDType];

/** A decoded IDX file: element type, dimensions (outermost first) and row-major elements. */
export interface IdxArray<D extends IdxDType = IdxDType> {
  readonly dtype: D;
  readonly shape: readonly number[];
  readonly data: IdxDataMap[D];
}

interface IdxTypeInfo {
  readonly dtype: IdxDType;
  readonly code: number;
  readonly bytes: number;
}

const IDX_TYPES: readonly IdxTypeInfo[] = [
  { dtype: 'uint8', code: 0x08, bytes: 1 },
  { dtype: 'int8', code: 0x09, bytes: 1 },
  { dtype: 'int16', code: 0x0b, bytes: 2 },
  { dtype: 'int32', code: 0x0c, bytes: 4 },
  { dtype: 'float32', code: 0x0d, bytes: 4 },
  { dtype: 'float64', code: 0x0e, bytes: 8 },
];

const MAX_DIMENSION = 0xffffffff;
const KNOWN_CODES = IDX_TYPES.map((t) => `0x${t.code.toString(16).padStart(2, '0')} (${t.dtype})`).join(', ');

function hex(bytes: Uint8Array, count: number): string {
  return Array.from(bytes.subarray(0, count), (b) => b.toString(16).padStart(2, '0')).join(' ');
}

function typeByCode(code: number): IdxTypeInfo | undefined {
  return IDX_TYPES.find((t) => t.code === code);
}

function typeByName(dtype: IdxDType): IdxTypeInfo {
  const info = IDX_TYPES.find((t) => t.dtype === dtype);
  if (!info)
    throw new ArgumentError(`writeIdx: dtype '${String(dtype)}' is unknown; expected one of ${KNOWN_CODES}`);
  return info;
}

/** The IDX element type stored by a typed array. */
function dtypeOfArray(data: IdxData): IdxDType {
  if (data instanceof Uint8Array) return 'uint8';
  if (data instanceof Int8Array) return 'int8';
  if (data instanceof Int16Array) return 'int16';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Float32Array) return 'float32';
  return 'float64';
}

function allocateIdx(dtype: IdxDType, size: number): IdxData {
  switch (dtype) {
    case 'uint8':
      return new Uint8Array(size);
    case 'int8':
      return new Int8Array(size);
    case 'int16':
      return new Int16Array(size);
    case 'int32':
      return new Int32Array(size);
    case 'float32':
      return new Float32Array(size);
    case 'float64':
      return new Float64Array(size);
  }
}

/** Reads the big-endian body into a typed array of the platform's byte order. */
function decodeBody(view: DataView, offset: number, dtype: IdxDType, size: number): IdxData {
  const out = allocateIdx(dtype, size);
  switch (dtype) {
    case 'uint8':
    case 'int8':
      (out as Uint8Array | Int8Array).set(new Uint8Array(view.buffer, view.byteOffset + offset, size));
      break;
    case 'int16':
      for (let i = 0; i < size; i++) out[i] = view.getInt16(offset + 2 * i);
      break;
    case 'int32':
      for (let i = 0; i < size; i++) out[i] = view.getInt32(offset + 4 * i);
      break;
    case 'float32':
      for (let i = 0; i < size; i++) out[i] = view.getFloat32(offset + 4 * i);
      break;
    case 'float64':
      for (let i = 0; i < size; i++) out[i] = view.getFloat64(offset + 8 * i);
      break;
  }
  return out;
}

/**
 * Parses an IDX file (gzip-compressed or not; gzip is detected by its magic bytes).
 *
 * Validates the magic number (`00 00 type rank`), the type code, the rank (1 to 255), and that the
 * dimensions account for exactly the bytes present. Any violation throws an `FbtDataError` naming
 * `fileName` and the problem. The returned data is a fresh copy in the platform's byte order.
 *
 * @example
 * const { dtype, shape, data } = parseIdx(bytes, 'train-images-idx3-ubyte'); // 'uint8', [60000, 28, 28]
 */
export function parseIdx(input: BytesLike, fileName = 'IDX data'): IdxArray {
  const bytes = gunzipIfNeeded(asBytes(input), fileName);
  if (bytes.length < 4) {
    throw new FbtDataError(
      fileName,
      `truncated: ${bytes.length} bytes; an IDX file starts with a 4-byte magic number`,
    );
  }
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new FbtDataError(fileName, `wrong magic number ${hex(bytes, 4)}; expected 00 00 <type> <rank>`);
  }
  const code = bytes[2]!;
  const info = typeByCode(code);
  if (!info) {
    throw new FbtDataError(
      fileName,
      `unknown IDX type code 0x${code.toString(16).padStart(2, '0')}; expected one of ${KNOWN_CODES}`,
    );
  }
  const rank = bytes[3]!;
  if (rank === 0)
    throw new FbtDataError(fileName, 'rank 0 in the magic number; expected 1 to 255 dimensions');
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) {
    throw new FbtDataError(
      fileName,
      `truncated header: ${bytes.length} bytes; rank ${rank} needs ${headerBytes} header bytes`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  let size = 1;
  for (let d = 0; d < rank; d++) {
    const dim = view.getUint32(4 + 4 * d);
    shape.push(dim);
    size *= dim;
  }
  const bodyBytes = bytes.length - headerBytes;
  // `size` may exceed 2^53 for absurd headers; it then also exceeds bodyBytes, which is all we compare.
  const expectedBody = size * info.bytes;
  if (expectedBody !== bodyBytes) {
    const what = expectedBody > bodyBytes ? 'truncated' : 'trailing bytes';
    throw new FbtDataError(
      fileName,
      `${what}: header says ${info.dtype} [${shape.join(', ')}] (${expectedBody} data bytes) but ${bodyBytes} data bytes follow the header`,
    );
  }
  return { dtype: info.dtype, shape, data: decodeBody(view, headerBytes, info.dtype, size) };
}

/** What `writeIdx` encodes: a typed array and its shape; `dtype` defaults to the array's type. */
export interface IdxWriteInput {
  readonly shape: readonly number[];
  readonly data: IdxData;
  readonly dtype?: IdxDType;
}

/**
 * Encodes an array as an (uncompressed) IDX file, big-endian, the inverse of `parseIdx`.
 * Throws an `ArgumentError` when the shape is not 1 to 255 dimensions of 0..2^32-1 or does not
 * match the number of elements, or when `dtype` does not match the array's type.
 *
 * @example
 * const bytes = writeIdx({ shape: [2, 2], data: new Uint8Array([0, 1, 2, 3]) });
 */
export function writeIdx(input: IdxWriteInput): Uint8Array {
  const { shape, data } = input;
  const actual = dtypeOfArray(data);
  const dtype = input.dtype ?? actual;
  const info = typeByName(dtype);
  if (dtype !== actual)
    throw new ArgumentError(
      `writeIdx: dtype '${dtype}' but data is a ${data.constructor.name}; expected matching types`,
    );
  if (shape.length < 1 || shape.length > 255) {
    throw new ArgumentError(
      `writeIdx: shape [${shape.join(', ')}] has rank ${shape.length}; expected 1 to 255 dimensions`,
    );
  }
  let size = 1;
  for (const dim of shape) {
    if (!Number.isInteger(dim) || dim < 0 || dim > MAX_DIMENSION) {
      throw new ArgumentError(
        `writeIdx: shape [${shape.join(', ')}] has dimension ${dim}; expected integers in 0..2^32-1`,
      );
    }
    size *= dim;
  }
  if (size !== data.length) {
    throw new ArgumentError(
      `writeIdx: shape [${shape.join(', ')}] holds ${size} elements but data has ${data.length}`,
    );
  }
  const headerBytes = 4 + 4 * shape.length;
  const out = new Uint8Array(headerBytes + size * info.bytes);
  const view = new DataView(out.buffer);
  out[2] = info.code;
  out[3] = shape.length;
  shape.forEach((dim, d) => view.setUint32(4 + 4 * d, dim));
  encodeBody(view, headerBytes, data, dtype);
  return out;
}

function encodeBody(view: DataView, offset: number, data: IdxData, dtype: IdxDType): void {
  const n = data.length;
  switch (dtype) {
    case 'uint8':
    case 'int8':
      new Uint8Array(view.buffer, offset, n).set(new Uint8Array(data.buffer, data.byteOffset, n));
      break;
    case 'int16':
      for (let i = 0; i < n; i++) view.setInt16(offset + 2 * i, data[i]!);
      break;
    case 'int32':
      for (let i = 0; i < n; i++) view.setInt32(offset + 4 * i, data[i]!);
      break;
    case 'float32':
      for (let i = 0; i < n; i++) view.setFloat32(offset + 4 * i, data[i]!);
      break;
    case 'float64':
      for (let i = 0; i < n; i++) view.setFloat64(offset + 8 * i, data[i]!);
      break;
  }
}
