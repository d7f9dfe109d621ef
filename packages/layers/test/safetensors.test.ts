import { describe, expect, it } from 'vitest';
import { Rng } from '@fbt/tensor';
import { Linear, MAX_HEADER_BYTES, SafetensorsError, loadSafetensors, readSafetensorsHeader } from '../src';
import { values } from './helpers';

/** A safetensors file from a header (object or raw JSON text) and the data section's bytes. */
function file(header: object | string, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

/** Little-endian bytes written by `fill` into a view of `n` bytes. */
function bytesOf(n: number, fill: (view: DataView) => void): Uint8Array {
  const out = new Uint8Array(n);
  fill(new DataView(out.buffer));
  return out;
}

/** Catches what `fn` throws. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('safetensors: hostile headers', () => {
  it('reports deep nesting in dtype, shape and data_offsets as a SafetensorsError, not a RangeError', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    for (const [field, message] of [
      ['dtype', /entry 'w' has dtype \[\[…\]\]; expected one of "F32"/],
      ['shape', /entry 'w' has shape \[\[…\]\]; expected safe non-negative integers/],
      ['data_offsets', /entry 'w' has data_offsets \[\[…\]\]; expected \[begin, end\]/],
    ] as const) {
      const entry = { dtype: '"F32"', shape: '[1]', data_offsets: '[0,4]', [field]: `[${deep}]` };
      const json = `{"w":{"dtype":${entry.dtype},"shape":${entry.shape},"data_offsets":${entry.data_offsets}}}`;
      const error = thrown(() => loadSafetensors(file(json, new Uint8Array(4))));
      expect(error).toBeInstanceOf(SafetensorsError);
      expect((error as Error).message).toMatch(message);
    }
  });

  it('loads an entry named __proto__ as an own key, and a strict load names it', () => {
    const data = bytesOf(8, (v) => (v.setFloat32(0, 1.5, true), v.setFloat32(4, -2, true)));
    const bytes = file(
      '{"__proto__":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}',
      data,
    );
    const state = loadSafetensors(bytes);
    expect(Object.keys(state).sort()).toEqual(['__proto__', 'b']);
    expect(values(state['__proto__']!)).toEqual([1.5]);
    expect(Object.keys(readSafetensorsHeader(bytes).entries)).toContain('__proto__');
    const layer = new Linear(1, 1, { rng: new Rng(0), bias: false });
    expect(() => layer.loadStateDict(state)).toThrow(/unexpected key '__proto__'/);
  });

  it('refuses shapes that are not safe non-negative integers', () => {
    for (const shape of ['[1e308,0]', '[9007199254740993,0]', '[-1]', '[1.5]', '["2"]']) {
      const json = `{"w":{"dtype":"F32","shape":${shape},"data_offsets":[0,0]}}`;
      expect(() => loadSafetensors(file(json))).toThrow(SafetensorsError);
      expect(() => loadSafetensors(file(json))).toThrow(/has shape .*; expected safe non-negative integers/);
    }
  });

  it('caps the header at 100 MB, as the reference implementation does', () => {
    expect(MAX_HEADER_BYTES).toBe(100_000_000);
    const bytes = new Uint8Array(16);
    new DataView(bytes.buffer).setBigUint64(0, 100_000_001n, true);
    expect(() => loadSafetensors(bytes)).toThrow(
      'safetensors: header length 100000001 exceeds the limit of 100000000 bytes',
    );
  });
});

describe('safetensors: dtypes beyond F32 and I32', () => {
  it('reads I64 as int32 (PyTorch num_batches_tracked), refusing values outside the int32 range', () => {
    const data = bytesOf(16, (v) => (v.setBigInt64(0, 7n, true), v.setBigInt64(8, -(2n ** 31n), true)));
    const state = loadSafetensors(file({ n: { dtype: 'I64', shape: [2], data_offsets: [0, 16] } }, data));
    expect(state.n!.dtype).toBe('int32');
    expect(values(state.n!)).toEqual([7, -(2 ** 31)]);
    const big = bytesOf(8, (v) => v.setBigInt64(0, 2n ** 31n, true));
    expect(() =>
      loadSafetensors(file({ n: { dtype: 'I64', shape: [], data_offsets: [0, 8] } }, big)),
    ).toThrow(
      "safetensors: entry 'n' (I64) holds 2147483648 at index 0; expected values in the int32 range [-2147483648, 2147483647]",
    );
  });

  it('converts F64, F16 and BF16 to float32 only on request', () => {
    const f64 = bytesOf(16, (v) => (v.setFloat64(0, 0.1, true), v.setFloat64(8, -3, true)));
    // F16: 1.0 (0x3c00), -2.5 (0xc100), 2^-24 (0x0001, subnormal), +inf (0x7c00)
    const f16 = bytesOf(8, (v) =>
      [0x3c00, 0xc100, 0x0001, 0x7c00].forEach((h, i) => v.setUint16(2 * i, h, true)),
    );
    // BF16: 1.0 (0x3f80), -0.15625 (0xbe20)
    const bf16 = bytesOf(4, (v) => [0x3f80, 0xbe20].forEach((h, i) => v.setUint16(2 * i, h, true)));
    const data = new Uint8Array([...f64, ...f16, ...bf16]);
    const bytes = file(
      {
        a: { dtype: 'F64', shape: [2], data_offsets: [0, 16] },
        b: { dtype: 'F16', shape: [2, 2], data_offsets: [16, 24] },
        c: { dtype: 'BF16', shape: [2], data_offsets: [24, 28] },
      },
      data,
    );
    expect(() => loadSafetensors(bytes)).toThrow(
      `safetensors: entry 'a' has dtype "F64"; expected "F32", "I32" or "I64" (pass { convertFloats: true } to convert F64, F16 and BF16 to float32)`,
    );
    const state = loadSafetensors(bytes, { convertFloats: true });
    expect(values(state.a!)).toEqual([Math.fround(0.1), -3]);
    expect(state.b!.shape).toEqual([2, 2]);
    expect(values(state.b!)).toEqual([1, -2.5, 2 ** -24, Infinity]);
    expect(values(state.c!)).toEqual([1, -0.15625]);
    expect(Object.values(state).every((t) => t.dtype === 'float32')).toBe(true);
    expect(() => loadSafetensors(bytes, { convert: true } as never)).toThrow(
      "loadSafetensors: unknown option 'convert'; valid options: convertFloats",
    );
  });

  it('keeps F32 and I32 exact', () => {
    const data = bytesOf(8, (v) => (v.setFloat32(0, 3e-8, true), v.setInt32(4, -5, true)));
    const state = loadSafetensors(
      file(
        {
          f: { dtype: 'F32', shape: [1], data_offsets: [0, 4] },
          i: { dtype: 'I32', shape: [1], data_offsets: [4, 8] },
        },
        data,
      ),
    );
    expect(values(state.f!)).toEqual([Math.fround(3e-8)]);
    expect(values(state.i!)).toEqual([-5]);
  });
});
