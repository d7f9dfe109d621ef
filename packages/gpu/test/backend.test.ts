import { describe, expect, it } from 'vitest';
import { ArgumentError, DisposedError, ShapeError, engine, tensor } from '@fbt/tensor';
import { GpuBackend, backendInfo, chooseMode, glAvailability, registerGpuBackend } from '../src';
import { GL_AVAILABLE } from './setup';

describe('mode selection', () => {
  it('explains an unknown mode and honours an explicit cpu request', () => {
    expect(() => chooseMode('vulkan' as never)).toThrow(ArgumentError);
    expect(chooseMode('cpu')).toEqual({
      mode: 'cpu',
      reason: expect.stringContaining("'cpu' was requested"),
    });
    expect(chooseMode('webgl2').mode).toBe('cpu'); // Node has no WebGL2: falls back, saying why
    expect(chooseMode('webgl2').reason).toContain('falling back');
  });

  it("glAvailability reports whether auto mode finds GL, with auto mode's reason", () => {
    const auto = chooseMode('auto');
    expect(glAvailability()).toEqual({ available: auto.mode === 'headlessgl', reason: auto.reason });
  });

  it("gpu.js 'cpu' mode runs the same kernels without GL", () => {
    registerGpuBackend({ mode: 'cpu', name: 'gpujs-cpu' });
    expect(backendInfo('gpujs-cpu')).toMatchObject({ mode: 'cpu', accelerated: false });
    const out = engine().withBackend('gpujs-cpu', () =>
      engine().tidy(() => {
        const a = tensor([1, 2, 3, 4, 5, 6], [2, 3]);
        const b = tensor([1, 0, -1], [3, 1]);
        return Array.from(
          engine().runKernel('matMul', [a, b], { transposeA: false, transposeB: false })[0]!.dataSync(),
        );
      }),
    );
    expect(out).toEqual([-2, -2]);
  });
});

describe.skipIf(!GL_AVAILABLE)('GpuBackend on headless GL', () => {
  it('reports headlessgl with a reason', () => {
    const info = backendInfo('gpu');
    expect(info.mode).toBe('headlessgl');
    expect(info.reason).toContain("native 'gl'");
    expect(info.maxTextureSize).toBeGreaterThanOrEqual(4096);
  });

  it('keeps data on the device between kernels, compiles once per shape and frees textures', () => {
    const backend = engine().findBackend('gpu') as GpuBackend;
    const live = backend.numDataIds();
    const step = (): number[] =>
      engine().withBackend('gpu', () =>
        engine().tidy(() => {
          const x = tensor([1, -2, 3], [3]);
          const y = engine().runKernel('exp', engine().runKernel('neg', [x]))[0]!;
          return Array.from(y.dataSync());
        }),
      );
    const first = step();
    const compiled = backend.numCompiledKernels();
    expect(step()).toEqual(first);
    expect(backend.numCompiledKernels()).toBe(compiled);
    expect(first.map((v) => Math.round(v * 1e5) / 1e5)).toEqual([0.36788, 7.38906, 0.04979]);
    expect(backend.numDataIds()).toBe(live);
  });

  it('round-trips int32 exactly and throws on a read after dispose', () => {
    engine().withBackend('gpu', () => {
      const t = tensor(Int32Array.of(-16777216, -1, 0, 7, 16777215), [5]);
      expect(t.dataSync()).toEqual(Int32Array.of(-16777216, -1, 0, 7, 16777215));
      t.dispose();
      expect(() => engine().backend.readSync(t.dataId)).toThrow(DisposedError);
    });
  });

  it('writes in place into the same tensor', () => {
    engine().withBackend('gpu', () =>
      engine().tidy(() => {
        const w = tensor([1, 2, 3, 4], [2, 2]);
        const id = w.dataId;
        engine().runInPlace('addInPlace', w, [tensor([10, 20], [2])], { alpha: 0.5 });
        engine().runInPlace('scaleInPlace', w, [], { factor: 2 });
        expect(Array.from(w.dataSync())).toEqual([12, 24, 16, 28]);
        engine().runInPlace('fillInPlace', w, [], { value: -1.5 });
        expect(Array.from(w.dataSync())).toEqual([-1.5, -1.5, -1.5, -1.5]);
        engine().runInPlace('assignInPlace', w, [tensor([3, 4], [2])]);
        expect(Array.from(w.dataSync())).toEqual([3, 4, 3, 4]);
        expect(w.dataId).toBe(id);
      }),
    );
  });

  it('rejects bad input with the error the cpu backend gives', () => {
    engine().withBackend('gpu', () =>
      engine().tidy(() => {
        const x = tensor([1, 2, 3], [3]);
        expect(() =>
          engine().runKernel('gather', [x, tensor(Int32Array.of(0, 3), [2])], { axis: 0 }),
        ).toThrow(/gather: index along axis 0 3 at position 1 is out of range/);
        expect(() => engine().runKernel('oneHot', [tensor(Int32Array.of(5), [1])], { depth: 5 })).toThrow(
          ArgumentError,
        );
        expect(() =>
          engine().runKernel('mapExpr', [x], { expr: 'x.constructor', names: ['x'], params: {} }),
        ).toThrow(ArgumentError);
        expect(() =>
          engine().runKernel(
            'conv2dBackpropInput',
            [tensor(new Float32Array(4), [1, 1, 2, 2]), tensor(new Float32Array(1), [1, 1, 1, 1])],
            {
              stride: [1, 1],
              padding: [0, 0],
              dilation: [1, 1],
              inputShape: [1, 1, 3, 3],
            },
          ),
        ).toThrow(ShapeError);
      }),
    );
  });
});
