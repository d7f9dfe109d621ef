import { sizeOf, tensor, type Tensor } from '@fbt/tensor';
import { SafetensorsError, type SafetensorsEntry } from './safetensors-header';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** IEEE 754 half precision (F16) to a number: sign, 5-bit exponent, 10-bit mantissa. */
function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa === 0 ? sign * Infinity : NaN;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

function readInt64(view: DataView, begin: number, n: number, name: string): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const value = view.getBigInt64(begin + 8 * i, true);
    if (value < INT32_MIN || value > INT32_MAX) {
      throw new SafetensorsError(
        `safetensors: entry '${name}' (I64) holds ${value} at index ${i}; expected values in the int32 range [${INT32_MIN}, ${INT32_MAX}]`,
      );
    }
    out[i] = Number(value);
  }
  return out;
}

function readFloats(
  view: DataView,
  begin: number,
  n: number,
  dtype: SafetensorsEntry['dtype'],
): Float32Array {
  const out = new Float32Array(n);
  switch (dtype) {
    case 'F32':
      for (let i = 0; i < n; i++) out[i] = view.getFloat32(begin + 4 * i, true);
      break;
    case 'F64':
      for (let i = 0; i < n; i++) out[i] = view.getFloat64(begin + 8 * i, true);
      break;
    case 'F16':
      for (let i = 0; i < n; i++) out[i] = halfToNumber(view.getUint16(begin + 2 * i, true));
      break;
    case 'BF16': {
      // bfloat16 is the upper half of a float32: widen it through the bit pattern.
      const bits = new Uint32Array(out.buffer);
      for (let i = 0; i < n; i++) bits[i] = view.getUint16(begin + 2 * i, true) << 16;
      break;
    }
  }
  return out;
}

/**
 * The tensor of one entry whose bytes start at `begin` in `view`: F32 as float32, I32 as int32,
 * I64 as int32 (a value outside the int32 range is a `SafetensorsError` naming the entry), F64, F16
 * and BF16 as float32 (rounded to nearest; the caller decides whether converting is allowed).
 */
export function decodeEntry(view: DataView, begin: number, entry: SafetensorsEntry, name: string): Tensor {
  const count = sizeOf(entry.shape);
  if (entry.dtype === 'I32') {
    const values = new Int32Array(count);
    for (let i = 0; i < count; i++) values[i] = view.getInt32(begin + 4 * i, true);
    return tensor(values, entry.shape);
  }
  if (entry.dtype === 'I64') return tensor(readInt64(view, begin, count, name), entry.shape);
  return tensor(readFloats(view, begin, count, entry.dtype), entry.shape);
}
