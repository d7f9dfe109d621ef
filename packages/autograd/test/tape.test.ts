import { describe, expect, it } from 'vitest';
import {
  add,
  engine,
  exp,
  FbtError,
  greater,
  mapExpr,
  mul,
  registerKernels,
  packSigns,
  step,
  sum,
  tensor,
  tidy,
  withBackend,
  type TensorInfo,
} from '@fbt/tensor';
import {
  backward,
  detach,
  enableGrad,
  getGradient,
  grad,
  GradientError,
  isGradEnabled,
  isNonDifferentiable,
  noGrad,
  registerGradient,
  registerHook,
  registerNonDifferentiable,
  valueAndGrad,
  zeroGrad,
} from '../src';
import { arr } from './helpers';

function leaf(values: number[]) {
  const t = tensor(values);
  t.requiresGrad = true;
  return t;
}

describe('backward', () => {
  it('accumulates through a tensor used twice (x·x + x ⇒ 2x + 1)', () => {
    const x = leaf([1, -2, 3]);
    backward(sum(add(mul(x, x), x)));
    expect(arr(x.grad)).toEqual([3, -3, 7]);
  });

  it('adds into an existing .grad in place, and zeroGrad zeroes that same storage', () => {
    const x = leaf([1, 2]);
    backward(sum(mul(x, 3)));
    const first = x.grad;
    backward(sum(mul(x, x)));
    expect(x.grad).toBe(first);
    expect(arr(x.grad)).toEqual([5, 7]);
    zeroGrad([x]);
    expect(x.grad).toBe(first);
    expect(arr(x.grad)).toEqual([0, 0]);
  });

  it('gives two leaves distinct gradient tensors even when the gradient is shared (a + b)', () => {
    const a = leaf([1, 2]);
    const b = leaf([3, 4]);
    backward(add(a, b), { grad: tensor([5, 6]) });
    expect(a.grad).not.toBe(b.grad);
    expect(arr(a.grad)).toEqual([5, 6]);
    expect(arr(b.grad)).toEqual([5, 6]);
  });

  it('keeps leaf gradients alive across an enclosing tidy and frees the intermediates', () => {
    const x = leaf([1, 2, 3]);
    const before = engine().backend.numDataIds();
    tidy(() => {
      backward(sum(exp(mul(x, 2))));
    });
    expect(x.grad!.isDisposed).toBe(false);
    expect(arr(x.grad)[0]).toBeCloseTo(2 * Math.exp(2), 4);
    expect(engine().backend.numDataIds()).toBe(before + 1);
  });

  it('takes a seed gradient for a non-scalar loss', () => {
    const x = leaf([1, 2]);
    backward(mul(x, x), { grad: tensor([10, 100]) });
    expect(arr(x.grad)).toEqual([20, 400]);
  });

  it('frees the graph: a second backward throws unless retainGraph was asked for', () => {
    const x = leaf([1, 2]);
    const loss = sum(mul(x, x));
    backward(loss);
    expect(() => backward(loss)).toThrow(/freed by an earlier backward.*retainGraph/);
    const y = leaf([1, 2]);
    const kept = sum(mul(y, y));
    backward(kept, { retainGraph: true });
    backward(kept);
    expect(arr(y.grad)).toEqual([4, 8]);
  });

  it('rejects bad losses with errors that say what was expected', () => {
    const x = leaf([1, 2]);
    expect(() => backward(mul(x, x))).toThrow(/shape \[2\]; expected a one-element tensor/);
    expect(() => backward(mul(x, x), { grad: tensor([1, 2, 3]) })).toThrow(
      /expected a float32 tensor of the loss's shape \[2\]/,
    );
    expect(() => backward(sum(tensor([1, 2])))).toThrow(/does not require a gradient/);
    expect(() => backward(3 as unknown as ReturnType<typeof tensor>)).toThrow(GradientError);
    expect(() => backward(sum(tensor([1])))).toThrow(FbtError);
  });

  it('says so when the forward tensors were disposed before backward', () => {
    const x = leaf([1, 2]);
    const loss = tidy(() => sum(exp(mul(x, 2))));
    expect(() => backward(loss)).toThrow(/was disposed before backward.*tidy/);
  });

  it('throws at backward, not forward, for a kernel without a gradient, naming it', () => {
    registerKernels('cpu', [
      {
        kernelName: 'testTwice',
        kernelFunc: ([x], _attrs, backend) => {
          const v = backend.readSync(x!.dataId);
          const out = Float32Array.from(v, (e) => 2 * e);
          return {
            dataId: backend.write(out, x!.shape, 'float32'),
            shape: x!.shape,
            dtype: 'float32',
          } as TensorInfo;
        },
      },
    ]);
    // The test kernel exists on the cpu backend only.
    withBackend('cpu', () => {
      const x = leaf([1, 2]);
      const y = engine().runKernel('testTwice', [x])[0]!;
      expect(arr(y)).toEqual([2, 4]);
      expect(() => backward(sum(y))).toThrow(
        /kernel 'testTwice' has no registered gradient.*registerGradient/,
      );
      registerGradient('testTwice', (dy) => [mul(dy, 2)]);
      expect(getGradient('testTwice')).toBeTypeOf('function');
      const z = engine().runKernel('testTwice', [x])[0]!;
      backward(sum(z));
      expect(arr(x.grad)).toEqual([2, 2]);
    });
  });

  it('validates gradient registrations', () => {
    expect(() => registerGradient('', () => [])).toThrow(
      /registerGradient: kernel name ; expected a non-empty string/,
    );
    expect(() => registerGradient('abc', 3 as never)).toThrow(
      /registerGradient\('abc'\): got number; expected a function/,
    );
    registerNonDifferentiable('testConst');
    expect(isNonDifferentiable('testConst')).toBe(true);
    expect(getGradient('testConst')).toBeUndefined();
  });

  it('refuses to differentiate mapExpr and points at customOp', () => {
    const z = leaf([0.5, -0.5]);
    const y = mapExpr('z * z', { z }, {});
    expect(() => backward(sum(y))).toThrow(/'mapExpr'.*customOp/);
  });

  it('does not record non-differentiable kernels', () => {
    const x = leaf([-1, 2]);
    expect(greater(x, 0).requiresGrad).toBe(false);
    expect(step(x).requiresGrad).toBe(false);
    expect(packSigns(x).requiresGrad).toBe(false);
    backward(sum(mul(x, step(x))));
    expect(arr(x.grad)).toEqual([0, 1]);
  });
});

describe('grad modes and detach', () => {
  it('noGrad records nothing; enableGrad re-enables inside it', () => {
    const x = leaf([1, 2]);
    expect(isGradEnabled()).toBe(true);
    noGrad(() => {
      expect(isGradEnabled()).toBe(false);
      expect(mul(x, x).requiresGrad).toBe(false);
      enableGrad(() => expect(mul(x, x).requiresGrad).toBe(true));
      expect(isGradEnabled()).toBe(false);
    });
    expect(isGradEnabled()).toBe(true);
  });

  it('restores the mode when fn throws', () => {
    expect(() =>
      noGrad(() => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(isGradEnabled()).toBe(true);
  });

  it('detach copies the values and cuts the graph', () => {
    const x = leaf([1, 2]);
    const d = detach(mul(x, x));
    expect(d.requiresGrad).toBe(false);
    expect(d.gradNode).toBe(null);
    expect(arr(d)).toEqual([1, 4]);
    backward(sum(mul(x, d)));
    expect(arr(x.grad)).toEqual([1, 4]);
  });
});

describe('grad and valueAndGrad', () => {
  it('return the value and one gradient per argument, zeros for an unused one', () => {
    const f = (x: ReturnType<typeof tensor>, y: ReturnType<typeof tensor>, _z: ReturnType<typeof tensor>) =>
      sum(mul(x, y));
    const x = tensor([1, 2]);
    const y = tensor([3, 4]);
    const z = tensor([5]);
    const { value, grads } = valueAndGrad(f as never)(x, y, z);
    expect(value.item()).toBe(11);
    expect(value.requiresGrad).toBe(false);
    expect(grads.map(arr)).toEqual([[3, 4], [1, 2], [0]]);
    expect(grad(f as never)(x, y, z).map(arr)).toEqual([[3, 4], [1, 2], [0]]);
    expect(x.grad).toBe(null);
    expect(x.requiresGrad).toBe(false);
  });

  it('does not touch .grad of other leaves used inside f', () => {
    const w = leaf([2, 3]);
    const [dx] = grad((x) => sum(mul(x, w)))(tensor([1, 1]));
    expect(arr(dx!)).toEqual([2, 3]);
    expect(w.grad).toBe(null);
  });

  it('rejects non-tensor and int32 arguments', () => {
    expect(() => grad((x) => sum(x))(tensor(new Int32Array([1]), [1]))).toThrow(
      /argument 0 is Tensor\(int32.*float32/,
    );
    expect(() => grad((x) => x)(tensor([1, 2]))).toThrow(/shape \[2\]; expected a one-element tensor/);
  });
});

describe('hooks', () => {
  it('transform a leaf gradient before accumulation and an intermediate one before propagation', () => {
    const x = leaf([1, 2]);
    const removeLeaf = registerHook(x, (g) => mul(g, 10));
    const h = mul(x, x);
    registerHook(h, (g) => add(g, 1));
    backward(sum(h));
    // d sum / dh = 1, hooked to 2; dh/dx = 2x ⇒ 4x; leaf hook ×10.
    expect(arr(x.grad)).toEqual([40, 80]);
    removeLeaf();
    zeroGrad([x]);
    backward(sum(mul(x, 3)));
    expect(arr(x.grad)).toEqual([3, 3]);
  });

  it('reject tensors without a gradient and hooks that change the shape', () => {
    expect(() => registerHook(tensor([1]), (g) => g)).toThrow(/does not require a gradient/);
    const x = leaf([1, 2]);
    registerHook(x, () => tensor([1]));
    expect(() => backward(sum(x))).toThrow(/hook.*returned \[1\]; expected a tensor of shape \[2\]/);
  });
});
