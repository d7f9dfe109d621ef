import { describe, expect, it } from 'vitest';
import { tensor } from '@fbt/tensor';
import {
  SafetensorsError,
  StateJSONError,
  loadJSON,
  loadSafetensors,
  readSafetensorsHeader,
  safetensorsMetadata,
  saveJSON,
  saveSafetensors,
  type StateDict,
} from '../src';
import { values } from './helpers';

function sampleState(): StateDict {
  return {
    'b.weight': tensor([
      [1.5, -2],
      [0.1, 3e-8],
    ]),
    'a.bias': tensor([-0.25, 7, 1e20]),
    'a.count': tensor(new Int32Array([3, -4]), [2]),
  };
}

/** An independent reader of the safetensors layout, written from the specification. */
function parseBySpec(bytes: Uint8Array): { n: number; header: Record<string, unknown>; rawHeader: string } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  const rawHeader = Buffer.from(bytes.subarray(8, 8 + n)).toString('utf8');
  return { n, header: JSON.parse(rawHeader) as Record<string, unknown>, rawHeader };
}

describe('safetensors', () => {
  it('writes the layout of the specification', () => {
    const bytes = saveSafetensors(sampleState(), { format: 'pt', note: 'hi' });
    const { n, header, rawHeader } = parseBySpec(bytes);
    expect(n % 8).toBe(0);
    // The JSON object ends with '}' followed only by fewer than 8 padding spaces.
    const json = rawHeader.replace(/ +$/, '');
    expect(json.endsWith('}')).toBe(true);
    expect(rawHeader.length - json.length).toBeLessThan(8);
    expect(header.__metadata__).toEqual({ format: 'pt', note: 'hi' });
    // Sorted names, back to back, 4 bytes per element.
    expect(header['a.bias']).toEqual({ dtype: 'F32', shape: [3], data_offsets: [0, 12] });
    expect(header['a.count']).toEqual({ dtype: 'I32', shape: [2], data_offsets: [12, 20] });
    expect(header['b.weight']).toEqual({ dtype: 'F32', shape: [2, 2], data_offsets: [20, 36] });
    expect(bytes.length).toBe(8 + n + 36);
    const data = new DataView(bytes.buffer, bytes.byteOffset + 8 + n);
    expect(data.getFloat32(0, true)).toBe(-0.25);
    expect(data.getFloat32(8, true)).toBe(Math.fround(1e20));
    expect(data.getInt32(16, true)).toBe(-4);
    expect(data.getFloat32(20 + 12, true)).toBe(Math.fround(3e-8));
  });

  it('round-trips values, dtypes, shapes and metadata', () => {
    const bytes = saveSafetensors(sampleState(), { epoch: '3' });
    const loaded = loadSafetensors(bytes);
    const original = sampleState();
    expect(Object.keys(loaded).sort()).toEqual(Object.keys(original).sort());
    for (const [name, t] of Object.entries(original)) {
      expect(loaded[name]!.shape).toEqual(t.shape);
      expect(loaded[name]!.dtype).toBe(t.dtype);
      expect(values(loaded[name]!)).toEqual(values(t));
    }
    expect(safetensorsMetadata(bytes)).toEqual({ epoch: '3' });
    expect(readSafetensorsHeader(saveSafetensors({})).entries).toEqual({});
  });

  it('reads a file written by hand with a scalar and an empty tensor', () => {
    const json = JSON.stringify({
      s: { dtype: 'F32', shape: [], data_offsets: [0, 4] },
      e: { dtype: 'F32', shape: [0, 3], data_offsets: [4, 4] },
    });
    const head = new TextEncoder().encode(json);
    const bytes = new Uint8Array(8 + head.length + 4);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(head.length), true);
    bytes.set(head, 8);
    new DataView(bytes.buffer).setFloat32(8 + head.length, 2.5, true);
    const state = loadSafetensors(bytes);
    expect(state.s!.shape).toEqual([]);
    expect(state.s!.item()).toBe(2.5);
    expect(state.e!.shape).toEqual([0, 3]);
  });

  it('rejects corrupt files with a message naming the problem', () => {
    const good = saveSafetensors(sampleState());
    const { n } = parseBySpec(good);
    expect(() => loadSafetensors(good.subarray(0, 5))).toThrow(/at least 8/);
    expect(() => loadSafetensors(good.subarray(0, 8 + n - 1))).toThrow(/header length \d+ exceeds/);
    expect(() => loadSafetensors(good.subarray(0, good.length - 4))).toThrow(
      /entries cover 36 bytes but the data section has 32/,
    );
    const edit = (from: string, to: string): Uint8Array => {
      const copy = good.slice();
      const text = Buffer.from(copy.subarray(8, 8 + n))
        .toString('utf8')
        .replace(from, to);
      copy.set(new TextEncoder().encode(text.padEnd(n, ' ').slice(0, n)), 8);
      return copy;
    };
    expect(() => loadSafetensors(edit('"I32"', '"U8"'))).toThrow(SafetensorsError);
    expect(() => loadSafetensors(edit('"I32"', '"U8"'))).toThrow(
      /'a\.count' has dtype "U8"; expected one of "F32", "I32", "I64", "F64", "F16", "BF16"/,
    );
    expect(() => loadSafetensors(edit('[12,20]', '[12,24]'))).toThrow(
      /'a\.count' spans 12 bytes; shape \[2\] of I32 needs 8/,
    );
    expect(() => loadSafetensors(edit('[0,12]', '[4,16]'))).toThrow(/starts at byte 4; expected 0/);
    expect(() => loadSafetensors(edit('{', '['))).toThrow(/not valid UTF-8 JSON/);
    expect(() => saveSafetensors(sampleState(), { n: 3 as unknown as string })).toThrow(
      /metadata 'n' is a number; expected a string/,
    );
  });
});

describe('JSON weights', () => {
  it('round-trips float32 values exactly, and int32', () => {
    const loaded = loadJSON(saveJSON(sampleState()));
    for (const [name, t] of Object.entries(sampleState())) {
      expect(loaded[name]!.dtype).toBe(t.dtype);
      expect(loaded[name]!.shape).toEqual(t.shape);
      expect(values(loaded[name]!)).toEqual(values(t));
    }
  });

  it('rejects documents that are not weight files', () => {
    expect(() => loadJSON('{')).toThrow(StateJSONError);
    expect(() => loadJSON('{"format":"other","tensors":{}}')).toThrow(/format 'fbt-state-dict\/1'/);
    const bad = (entry: unknown): string =>
      JSON.stringify({ format: 'fbt-state-dict/1', tensors: { w: entry } });
    expect(() => loadJSON(bad({ dtype: 'float64', shape: [1], data: [1] }))).toThrow(
      /'w' has dtype "float64"/,
    );
    expect(() => loadJSON(bad({ dtype: 'float32', shape: [2, 2], data: [1, 2, 3] }))).toThrow(
      /'w' has 3 values; shape \[2, 2\] needs 4/,
    );
    expect(() => loadJSON(bad({ dtype: 'float32', shape: [-1], data: [] }))).toThrow(/'w' has shape \[-1\]/);
    expect(() => loadJSON(bad({ dtype: 'float32', shape: [1e308, 0], data: [] }))).toThrow(
      /'w' has shape \[1e\+308,0\]; expected safe non-negative integers/,
    );
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const nested = `{"format":"fbt-state-dict/1","tensors":{"w":{"dtype":${deep},"shape":[1],"data":[1]}}}`;
    expect(() => loadJSON(nested)).toThrow(StateJSONError); // was a RangeError from JSON.stringify
  });

  it('keeps a tensor named __proto__ as an own key', () => {
    const text =
      '{"format":"fbt-state-dict/1","tensors":{"__proto__":{"dtype":"float32","shape":[1],"data":[2]}}}';
    const state = loadJSON(text);
    expect(Object.keys(state)).toEqual(['__proto__']);
    expect(values(state['__proto__']!)).toEqual([2]);
  });
});
