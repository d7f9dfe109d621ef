import {
  ArgumentError,
  ShapeError,
  add,
  formatShape,
  keep,
  packSigns,
  packedWords,
  reshape,
  tidy,
  unpackSigns,
  type Tensor,
} from '@fbt/tensor';
import { noGrad } from '@fbt/autograd';
import { Module } from '../module';
import { loadSafetensors, safetensorsMetadata, saveSafetensors } from '../io/safetensors';
import type { SafetensorsMetadata } from '../io/safetensors-header';
import { BinaryConv2d, BinaryLinear } from './binary';
import { convBits, denseBits, paddingCorrection, type BinaryConvGeometry } from './binary-path';
import { Sequential } from './sequential';

/**
 * The packing of the `weight` of every packed binary layer, as `saveBinary` states it in the
 * safetensors metadata under `fbt.binary`: int32 `[out, 2·⌈K/64⌉]` (K = in, or C·kh·kw), each row the
 * signs of one output's K weights (OIHW order for filters), 64 per u64 stored as two little-endian
 * int32: bit j of u64 word w is weight 64·w + j, set for +1 and clear for −1; padding bits clear.
 */
export const BINARY_PACKING = 'fbt-sign-bits-u64le/1';

/** The metadata key holding `BINARY_PACKING`; `fbt.binary.layers` lists the packed layers (JSON). */
export const BINARY_METADATA_KEY = 'fbt.binary';

/** Copies a bias (or null) so the packed layer owns it. */
function ownBias(bias: Tensor | null): Tensor | null {
  return bias === null ? null : keep(noGrad(() => add(bias, 0)));
}

/** The packed signs of a binary layer's effective weight `[out, ...]`, as `[out, 2·⌈K/64⌉]` int32. */
function packedWeight(layer: BinaryLinear | BinaryConv2d): Tensor {
  return keep(
    noGrad(() => tidy(() => packSigns(reshape(layer.effectiveWeight(), [layer.weight.shape[0]!, -1])))),
  );
}

/**
 * The inference form of a `BinaryLinear` with `binaryInput`: the weight signs packed 64 per u64
 * (`BINARY_PACKING`, 32× smaller than float32), y = XNOR-popcount(x, w) + b on a ±1 input `[N, in]`,
 * equal bit for bit to the float layer. Buffers `weight` (int32) and, when the layer had one, `bias`.
 * Needs the bit kernels (cpu or wasm backend).
 */
export class PackedBinaryLinear extends Module {
  /** The packed weight signs, int32 `[out, 2·⌈in/64⌉]` (loaded in place). */
  readonly weight: Tensor;
  /** The bias `[out]`, or null. */
  readonly bias: Tensor | null;

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    weight: Tensor,
    bias: Tensor | null,
  ) {
    super();
    const expected = [outFeatures, packedWords(inFeatures)];
    if (weight.dtype !== 'int32' || weight.shape.join() !== expected.join()) {
      throw new ShapeError(
        `PackedBinaryLinear: weight ${weight.dtype} ${formatShape(weight.shape)}; expected int32 ${formatShape(expected)}`,
      );
    }
    this.weight = this.registerBuffer('weight', weight);
    this.bias = bias === null ? null : this.registerBuffer('bias', bias);
  }

  /** Packs a trained `BinaryLinear` (its bias copied). */
  static from(layer: BinaryLinear): PackedBinaryLinear {
    return new PackedBinaryLinear(
      layer.inFeatures,
      layer.outFeatures,
      packedWeight(layer),
      ownBias(layer.bias),
    );
  }

  override forward(x: Tensor): Tensor {
    if (x.rank !== 2 || x.shape[1] !== this.inFeatures) {
      throw new ShapeError(
        `PackedBinaryLinear: input of shape ${formatShape(x.shape)}; expected [N, ${this.inFeatures}]`,
      );
    }
    const y = denseBits(x, this.weight);
    return this.bias === null ? y : add(y, this.bias);
  }
}

/**
 * The inference form of a `BinaryConv2d` with `binaryInput`: filter signs packed along C·kh·kw
 * (`BINARY_PACKING`), the im2col columns of the ±1 input packed and multiplied by XNOR-popcount,
 * equal bit for bit to the float layer (the zero padding is corrected exactly, per input size).
 * Buffers `weight` (int32 `[O, 2·⌈C·kh·kw/64⌉]`) and, when the layer had one, `bias`.
 */
export class PackedBinaryConv2d extends Module {
  /** The packed filter signs, int32 `[O, 2·⌈C·kh·kw/64⌉]` (loaded in place). */
  readonly weight: Tensor;
  /** The bias `[O]`, or null. */
  readonly bias: Tensor | null;
  private readonly corrections = new Map<string, Tensor | null>();

  constructor(
    readonly geometry: BinaryConvGeometry,
    weight: Tensor,
    bias: Tensor | null,
  ) {
    super();
    const [o, c, kh, kw] = geometry.filterShape;
    const expected = [o, packedWords(c * kh * kw)];
    if (weight.dtype !== 'int32' || weight.shape.join() !== expected.join()) {
      throw new ShapeError(
        `PackedBinaryConv2d: weight ${weight.dtype} ${formatShape(weight.shape)}; expected int32 ${formatShape(expected)}`,
      );
    }
    this.weight = this.registerBuffer('weight', weight);
    this.bias = bias === null ? null : this.registerBuffer('bias', bias);
  }

  /** Packs a trained `BinaryConv2d` (its bias copied). */
  static from(layer: BinaryConv2d): PackedBinaryConv2d {
    return new PackedBinaryConv2d(layer.geometry, packedWeight(layer), ownBias(layer.bias));
  }

  override forward(x: Tensor): Tensor {
    const [o, c] = this.geometry.filterShape;
    if (x.rank !== 4 || x.shape[1] !== c) {
      throw new ShapeError(
        `PackedBinaryConv2d: input of shape ${formatShape(x.shape)}; expected [N, ${c}, H, W]`,
      );
    }
    const y = convBits(x, this.weight, this.geometry, this.correction(x.shape));
    return this.bias === null ? y : add(y, reshape(this.bias, [1, o, 1, 1]));
  }

  /** The padding correction for inputs of `shape`'s height and width, computed once per size. */
  private correction(shape: readonly number[]): Tensor | null {
    const key = `${shape[2]}x${shape[3]}`;
    if (!this.corrections.has(key)) {
      const [o, c, kh, kw] = this.geometry.filterShape;
      const weight = this.weight;
      const computed = noGrad(() =>
        tidy(() =>
          paddingCorrection(reshape(unpackSigns(weight, c * kh * kw), [o, c, kh, kw]), shape, this.geometry),
        ),
      );
      this.corrections.set(key, computed === null ? null : keep(computed));
    }
    return this.corrections.get(key)!;
  }

  override dispose(): void {
    for (const t of this.corrections.values()) t?.dispose();
    this.corrections.clear();
    super.dispose();
  }
}

/**
 * The inference model of a trained binary model: every `BinaryLinear`/`BinaryConv2d` with
 * `binaryInput` and no `scale` (±1 weights times a ±1 input) becomes a `PackedBinaryLinear` /
 * `PackedBinaryConv2d`, in `model` itself or in nested `Sequential`s; every other module is shared
 * with `model`, not copied (its float path stays). The result is in eval mode (so are the shared
 * modules) and gives the same output bits as `model.eval()`.
 *
 * @example
 * const inference = exportBinary(model);
 * const bytes = saveBinary(inference);
 */
export function exportBinary(model: Module): Module {
  const packed = (m: Module): Module => {
    if (m instanceof BinaryLinear && m.packable) return PackedBinaryLinear.from(m);
    if (m instanceof BinaryConv2d && m.packable) return PackedBinaryConv2d.from(m);
    if (m instanceof Sequential) return new Sequential(...m.children().map(packed));
    return m;
  };
  return packed(model).eval();
}

/** The packed layers of `model` by dotted name, with their kind and packed length K. */
function packedLayers(model: Module): Record<string, string> {
  const layers: Record<string, string> = {};
  for (const [name, m] of model.namedModules()) {
    if (m instanceof PackedBinaryLinear) layers[name] = `PackedBinaryLinear K=${m.inFeatures}`;
    if (m instanceof PackedBinaryConv2d) {
      const [, c, kh, kw] = m.geometry.filterShape;
      layers[name] = `PackedBinaryConv2d K=${c * kh * kw}`;
    }
  }
  return layers;
}

/**
 * Saves an exported binary model (`exportBinary`) as safetensors: the state dict, packed weights
 * as I32, with `fbt.binary` = `BINARY_PACKING` and `fbt.binary.layers` (JSON: dotted name → kind and
 * K) in the header metadata, besides `metadata`.
 */
export function saveBinary(model: Module, metadata: SafetensorsMetadata = {}): Uint8Array {
  return saveSafetensors(model, {
    ...metadata,
    [BINARY_METADATA_KEY]: BINARY_PACKING,
    [`${BINARY_METADATA_KEY}.layers`]: JSON.stringify(packedLayers(model)),
  });
}

/**
 * Loads a file of `saveBinary` into `model` (an `exportBinary` of the same architecture): refuses,
 * in one line, a file without this packing or whose packed layers differ, then `loadStateDict`.
 */
export function loadBinary(model: Module, bytes: Uint8Array): void {
  const metadata = safetensorsMetadata(bytes);
  const packing = metadata[BINARY_METADATA_KEY];
  if (packing !== BINARY_PACKING) {
    throw new ArgumentError(
      `loadBinary: the file's ${BINARY_METADATA_KEY} metadata is ${JSON.stringify(packing ?? null)}; expected "${BINARY_PACKING}" (a file of saveBinary)`,
    );
  }
  const expected = JSON.stringify(packedLayers(model));
  const got = metadata[`${BINARY_METADATA_KEY}.layers`];
  if (got !== expected) {
    throw new ShapeError(`loadBinary: the file's packed layers are ${got}; the model's are ${expected}`);
  }
  model.loadStateDict(loadSafetensors(bytes));
}
