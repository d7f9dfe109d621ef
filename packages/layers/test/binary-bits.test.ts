import { describe, expect, it } from 'vitest';
import { backward } from '@fbt/autograd';
import { Rng, engine, mul, randn, sign, sum, tidy, type Tensor } from '@fbt/tensor';
import {
  Activation,
  BINARY_METADATA_KEY,
  BINARY_PACKING,
  BatchNorm1d,
  BinaryConv2d,
  BinaryLinear,
  Flatten,
  PackedBinaryConv2d,
  PackedBinaryLinear,
  Sequential,
  exportBinary,
  loadBinary,
  safetensorsMetadata,
  saveBinary,
  saveSafetensors,
  type Module,
} from '../src';

/*
 * The bit path of the binary layers (`binaryInput`): forward and gradients equal bit for bit to the
 * float ±1 path, on every tail of the packed axis, on cpu and wasm; `exportBinary` and its
 * safetensors round trip give the trained model's output bits.
 */

const BACKENDS = ['cpu', 'wasm'] as const;

/** A ±1 tensor of `shape` (seeded), as a sign activation gives. */
function pm1(shape: number[], seed: number): Tensor {
  return sign(randn(shape, new Rng(seed)));
}

/** Output bits and the input and weight gradient bits of Σ r·layer(x). */
function run(layer: BinaryLinear | BinaryConv2d, x: Tensor, seed: number): number[][] {
  const input = mul(x, 1);
  input.requiresGrad = true;
  const y = layer.call(input);
  backward(sum(mul(y, randn(y.shape, new Rng(seed)))));
  const out = [y, input.grad!, layer.weight.grad!].map((t) => Array.from(t.dataSync()));
  layer.weight.grad = null;
  return out;
}

describe('BinaryLinear and BinaryConv2d with binaryInput', () => {
  it.each(BACKENDS)(
    '%s: BinaryLinear equals the float path bit for bit, K = 1 … 130 (every tail), odd N and out',
    (b) => {
      engine().withBackend(b, () => {
        for (let k = 1; k <= 130; k++) {
          tidy(() => {
            const [n, out] = [1 + (k % 5) * 2, 1 + (k % 9)];
            const bits = new BinaryLinear(k, out, { rng: new Rng(k), bias: true, binaryInput: true });
            const float = new BinaryLinear(k, out, { rng: new Rng(k), bias: true });
            expect(bits.usesBitPath).toBe(true);
            expect(float.usesBitPath).toBe(false);
            const x = pm1([n, k], 100 + k);
            expect(run(bits, x, k)).toEqual(run(float, x, k));
          });
        }
      });
    },
  );

  const convCases: [number, number, [number, number], [number, number], [number, number], number[]][] = [
    [3, 5, [3, 3], [1, 1], [1, 1], [3, 3, 9, 7]], // K = 27
    [8, 3, [3, 3], [2, 1], [0, 0], [2, 8, 7, 8]], // K = 72: one word and a tail
    [7, 4, [3, 2], [1, 2], [1, 2], [3, 7, 6, 5]], // K = 42, uneven padding
    [16, 2, [2, 2], [2, 2], [0, 0], [1, 16, 6, 6]], // K = 64 exactly
    [13, 3, [5, 5], [1, 1], [2, 2], [2, 13, 5, 7]], // K = 325, padding wider than a tap's reach
  ];
  it.each(BACKENDS)('%s: BinaryConv2d equals the float path bit for bit (stride, padding, K tails)', (b) => {
    engine().withBackend(b, () => {
      convCases.forEach(([c, o, kernel, stride, padding, xShape], i) =>
        tidy(() => {
          const options = { bias: true, stride, padding };
          const bits = new BinaryConv2d(c, o, kernel, { ...options, rng: new Rng(i), binaryInput: true });
          const float = new BinaryConv2d(c, o, kernel, { ...options, rng: new Rng(i) });
          const x = pm1(xShape, 50 + i);
          expect(run(bits, x, i)).toEqual(run(float, x, i));
        }),
      );
    });
  });

  it('takes the float path with scale (α·sign(w) is not ±1), and refuses a non-boolean binaryInput', () => {
    expect(new BinaryLinear(3, 2, { rng: new Rng(1), binaryInput: true, scale: true }).usesBitPath).toBe(
      false,
    );
    expect(
      () => new BinaryLinear(3, 2, { rng: new Rng(1), binaryInput: 'yes' as unknown as boolean }),
    ).toThrow('BinaryLinear: binaryInput=yes; expected a boolean');
  });
});

/** A binary MLP on ±1 inputs: packed layers, BatchNorm and sign between them, a float-path last layer. */
function mlp(seed: number): Sequential {
  const rng = new Rng(seed);
  return new Sequential(
    new Flatten(),
    new BinaryLinear(70, 33, { rng, binaryInput: true, bias: true }),
    new BatchNorm1d(33),
    new Activation('sign'),
    new BinaryLinear(33, 9, { rng, binaryInput: true }),
    new Activation('sign'),
    new BinaryLinear(9, 4, { rng, scale: true }),
  );
}

function outputBits(model: Module, x: Tensor): number[] {
  return tidy(() => Array.from(model.call(x).dataSync()));
}

describe('exportBinary', () => {
  it.each(BACKENDS)('%s: the packed model gives the eval-mode output bits; save/load restores them', (b) => {
    engine().withBackend(b, () => {
      const model = mlp(1);
      const x = pm1([5, 1, 7, 10], 2);
      model.call(x); // one training-mode call moves the BatchNorm statistics
      model.eval();
      const expected = outputBits(model, x);
      const packed = exportBinary(model);
      expect(packed.children().map((m) => m.constructor.name)).toEqual([
        'Flatten',
        'PackedBinaryLinear',
        'BatchNorm1d',
        'Activation',
        'PackedBinaryLinear',
        'Activation',
        'BinaryLinear',
      ]);
      expect(outputBits(packed, x)).toEqual(expected);

      const bytes = saveBinary(packed);
      const metadata = safetensorsMetadata(bytes);
      expect(metadata[BINARY_METADATA_KEY]).toBe(BINARY_PACKING);
      expect(JSON.parse(metadata[`${BINARY_METADATA_KEY}.layers`]!)).toEqual({
        '1': 'PackedBinaryLinear K=70',
        '4': 'PackedBinaryLinear K=33',
      });
      const fresh = exportBinary(mlp(7).eval());
      expect(outputBits(fresh, x)).not.toEqual(expected);
      loadBinary(fresh, bytes);
      expect(outputBits(fresh, x)).toEqual(expected);
    });
  });

  it('packs weights 32× smaller: [out, 2·⌈in/64⌉] int32', () => {
    const layer = new BinaryLinear(1000, 8, { rng: new Rng(3), binaryInput: true });
    const packed = PackedBinaryLinear.from(layer);
    expect(packed.weight.dtype).toBe('int32');
    expect(packed.weight.shape).toEqual([8, 32]);
    expect(layer.weight.size / packed.weight.size).toBeCloseTo(1000 / 32, 6);
  });

  it.each(BACKENDS)('%s: a packed conv gives the layer output bits at two input sizes', (b) => {
    engine().withBackend(b, () => {
      const layer = new BinaryConv2d(5, 3, 3, { rng: new Rng(4), padding: 1, binaryInput: true, bias: true });
      const packed = PackedBinaryConv2d.from(layer);
      for (const shape of [
        [2, 5, 6, 7],
        [1, 5, 4, 4],
      ]) {
        const x = pm1(shape, shape[2]!);
        expect(outputBits(packed, x)).toEqual(outputBits(layer, x));
      }
    });
  });

  it('loadBinary refuses a file of another packing or other layers in one line', () => {
    const packed = exportBinary(mlp(1));
    expect(() => loadBinary(packed, saveSafetensors(packed))).toThrow(
      `loadBinary: the file's fbt.binary metadata is null; expected "${BINARY_PACKING}" (a file of saveBinary)`,
    );
    const other = exportBinary(
      new Sequential(new BinaryLinear(70, 33, { rng: new Rng(1), binaryInput: true })),
    );
    expect(() => loadBinary(packed, saveBinary(other))).toThrow(
      `loadBinary: the file's packed layers are {"0":"PackedBinaryLinear K=70"}; the model's are {"1":"PackedBinaryLinear K=70","4":"PackedBinaryLinear K=33"}`,
    );
    expect(() => new PackedBinaryLinear(70, 2, packed.stateDict()['1.weight']!, null)).toThrow(
      'PackedBinaryLinear: weight int32 [33, 4]; expected int32 [2, 4]',
    );
  });
});
