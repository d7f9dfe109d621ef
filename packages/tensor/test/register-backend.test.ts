import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  add,
  ArgumentError,
  CPU_BACKEND,
  CpuBackend,
  engine,
  kernelsOf,
  registerBackend,
  tensor,
  wasmBackend,
  WasmBackend,
  withBackend,
  type BackendDefinition,
} from '../src';
import './wasm-helpers';

describe('registerBackend: one way for every backend', () => {
  it('registers a definition under its own name or another, kernels and all', () => {
    registerBackend(CPU_BACKEND, { name: 'cpu-again', priority: -1 });
    expect(kernelsOf('cpu-again')).toEqual(kernelsOf('cpu'));
    const backend = engine().findBackend('cpu-again');
    expect(backend).toBeInstanceOf(CpuBackend);
    expect(backend.name).toBe('cpu-again');
    expect(withBackend('cpu-again', () => add(tensor([1, 2]), tensor([3, 4])).dataSync())).toEqual(
      new Float32Array([4, 6]),
    );
  });

  it('registers the wasm definition like any other: its kernels and the bit-packed ones', () => {
    registerBackend(wasmBackend('simd'), { name: 'wasm-registered', priority: -1 });
    expect(kernelsOf('wasm-registered')).toEqual(kernelsOf('wasm'));
    const backend = engine().findBackend('wasm-registered') as WasmBackend;
    expect(backend).toBeInstanceOf(WasmBackend);
    expect(backend.moduleVariant).toBe('simd');
  });

  it("a user's own definition: kernels bound to the name it is registered under", () => {
    const definition: BackendDefinition = {
      ...CPU_BACKEND,
      name: 'mine',
      priority: -1,
      extraKernels: [
        {
          kernelName: 'answer',
          kernelFunc: (_i, _a, b) => ({
            dataId: b.write(new Float32Array([42]), [1], 'float32'),
            shape: [1],
            dtype: 'float32',
          }),
        },
      ],
    };
    registerBackend(definition);
    expect(kernelsOf('mine')).toContain('answer');
    expect(kernelsOf('cpu')).not.toContain('answer');
    expect(withBackend('mine', () => engine().runKernel('answer', [])[0]!.dataSync())).toEqual(
      new Float32Array([42]),
    );
  });

  it('refuses bad options in one line, before registering anything', () => {
    const bad = (options: object, message: string): void => {
      expect(() => registerBackend(CPU_BACKEND, options)).toThrow(ArgumentError);
      expect(() => registerBackend(CPU_BACKEND, options)).toThrow(message);
    };
    bad({ nam: 'x' }, 'nam');
    bad({ name: '' }, 'registerBackend: name=; expected a non-empty string');
    bad(
      { name: 'bad-priority', priority: Number.NaN },
      'registerBackend: priority=NaN; expected a finite number',
    );
    expect(kernelsOf('bad-priority')).toEqual([]);
  });

  it('the engine names no backend: the built-in ones come from their definitions', () => {
    const source = readFileSync(new URL('../src/engine.ts', import.meta.url), 'utf8');
    expect(source).not.toMatch(/'(cpu|wasm|gpu)'/);
  });
});
