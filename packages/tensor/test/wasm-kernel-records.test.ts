import { describe, expect, it } from 'vitest';
import { engine, type WasmBackend } from '../src';
import {
  PARALLEL_KERNELS,
  PARALLEL_MIN_WORK,
  PARALLEL_TASKS,
  type KernelArg,
} from '../src/backends/wasm/kernel-records';
import { readLeb } from '../src/backends/wasm/memory-import';
import { WASM_RELAXED_SIMD_BASE64, WASM_SIMD_BASE64 } from '../src/backends/wasm/module.generated';
import './wasm-helpers';

/*
 * The records of the pool's kernels (`PARALLEL_KERNELS`) against the compiled module: every
 * kernel record names an export whose parameters are the record's argument types, then `ws,
 * wsBytes` where it has a work space, then `thread, threads`; every work-space export takes the
 * record's arguments and returns the bytes. So a record cannot drift from its kernel.
 */

const VALUE_TYPES: Readonly<Record<number, string>> = {
  0x7f: 'i32',
  0x7e: 'i64',
  0x7d: 'f32',
  0x7c: 'f64',
  0x7b: 'v128',
};

/** An exported function's parameter and result types, read from the module's type, import, function and export sections. */
interface Signature {
  readonly params: readonly string[];
  readonly results: readonly string[];
}

/** Reads a length-prefixed UTF-8 name at `at`; returns it and the offset after it. */
function readName(bytes: Uint8Array, at: number): [string, number] {
  const [length, start] = readLeb(bytes, at);
  return [new TextDecoder().decode(bytes.subarray(start, start + length)), start + length];
}

/** The signature of every exported function of the module `bytes`. */
function exportedSignatures(bytes: Uint8Array): Map<string, Signature> {
  const types: Signature[] = [];
  const functionTypes: number[] = [];
  const signatures = new Map<string, Signature>();
  let importedFunctions = 0;
  const valueList = (at: number): [string[], number] => {
    const [count, start] = readLeb(bytes, at);
    const list = Array.from(bytes.subarray(start, start + count), (code) => VALUE_TYPES[code]!);
    return [list, start + count];
  };
  for (let at = 8; at < bytes.length;) {
    const id = bytes[at]!;
    const [size, body] = readLeb(bytes, at + 1);
    let [count, entry] = id >= 1 && id <= 7 ? readLeb(bytes, body) : [0, body];
    for (; count > 0; count--) {
      if (id === 1) {
        const [params, next] = valueList(entry + 1); // 0x60, the function type
        const [results, after] = valueList(next);
        types.push({ params, results });
        entry = after;
      } else if (id === 2) {
        entry = readName(bytes, readName(bytes, entry)[1])[1]; // module and field names
        const kind = bytes[entry]!;
        if (kind === 0x00) {
          importedFunctions++;
          entry = readLeb(bytes, entry + 1)[1];
        } else if (kind === 0x02) {
          entry = readLeb(bytes, readLeb(bytes, entry + 2)[1])[1]; // a memory with a maximum
        } else {
          throw new Error(`unexpected import kind ${kind}`);
        }
      } else if (id === 3) {
        const [type, next] = readLeb(bytes, entry);
        functionTypes.push(type);
        entry = next;
      } else if (id === 7) {
        const [name, next] = readName(bytes, entry);
        const [index, after] = readLeb(bytes, next + 1);
        if (bytes[next] === 0x00) signatures.set(name, types[functionTypes[index - importedFunctions]!]!);
        entry = after;
      } else break;
    }
    at = body + size;
  }
  return signatures;
}

/** The wasm type of a record's argument (`usize` and `bool` are i32 on wasm32). */
const wasmType = (arg: KernelArg): string => (arg.endsWith(': f32') ? 'f32' : 'i32');

const base64Bytes = (base64: string): Uint8Array => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));

describe('the pool kernel records', () => {
  for (const [variant, base64] of [
    ['simd', WASM_SIMD_BASE64],
    ['relaxedSimd', WASM_RELAXED_SIMD_BASE64],
  ] as const) {
    it(`match the ${variant} module's exports, argument types included`, () => {
      const signatures = exportedSignatures(base64Bytes(base64));
      expect(signatures.get('alloc')).toEqual({ params: ['i32'], results: ['i32'] });
      for (const [task, record] of Object.entries(PARALLEL_KERNELS)) {
        if ('thread' in record) {
          expect(signatures.has(task), task).toBe(false);
          continue;
        }
        const workspace = 'workspace' in record ? ['i32', 'i32'] : [];
        expect(signatures.get(task), task).toEqual({
          params: [...record.args.map(wasmType), ...workspace, 'i32', 'i32'],
          results: [],
        });
        if ('workspace' in record) {
          expect(signatures.get(record.workspace.export), record.workspace.export).toEqual({
            params: record.workspace.args.map(wasmType),
            results: ['i32'],
          });
        }
      }
    });
  }

  it('give the task list and the default cutoffs, in record order', () => {
    expect(PARALLEL_TASKS).toEqual(Object.keys(PARALLEL_KERNELS));
    const cutoffs = Object.entries(PARALLEL_KERNELS).map(([task, record]) => [task, record.cutoff]);
    expect(Object.entries(PARALLEL_MIN_WORK)).toEqual(cutoffs);
    expect(Object.entries((engine().findBackend('wasm') as WasmBackend).minParallelWork)).toEqual(cutoffs);
  });
});
