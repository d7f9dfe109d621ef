import { tensor, type Tensor } from '@fbt/tensor';
import { FbtDataError } from './errors';
import { parseIdx, type IdxArray } from './idx';
import type { BytesLike } from './gzip';

/** One split of an image classification set such as MNIST. */
export interface ImageSplit {
  /** float32 `[N, 1, H, W]` (NCHW), pixel values scaled from 0..255 to [0, 1]. */
  readonly images: Tensor;
  /** int32 `[N]` class indices. */
  readonly labels: Tensor;
  /** The undecoded pixels (uint8 `N·H·W`, row-major) and labels, for custom preprocessing (read-only). */
  readonly raw: { readonly images: Uint8Array; readonly labels: Uint8Array };
}

/** An image classification set with its standard train and test splits. */
export interface ImageDataset {
  readonly train: ImageSplit;
  readonly test: ImageSplit;
}

/** The four IDX files of an MNIST-style set, as bytes (gzip or raw). */
export interface ImageDatasetFiles<T = BytesLike> {
  readonly trainImages: T;
  readonly trainLabels: T;
  readonly testImages: T;
  readonly testLabels: T;
}

/** Decoded uint8 pixels and labels of one split, checked against each other. */
export interface RawImageSplit {
  /** uint8 `N·H·W` pixels. */
  readonly images: Uint8Array;
  /** uint8 `N` labels. */
  readonly labels: Uint8Array;
  /** Image height and width. */
  readonly height: number;
  readonly width: number;
}

function expectUint8(array: IdxArray, rank: number, fileName: string, what: string): Uint8Array {
  if (array.dtype !== 'uint8' || array.shape.length !== rank) {
    throw new FbtDataError(
      fileName,
      `holds ${array.dtype} [${array.shape.join(', ')}]; expected uint8 ${what} of rank ${rank}`,
    );
  }
  return array.data as Uint8Array;
}

/**
 * Checks a decoded image file (uint8 `[N, H, W]`) against its label file (uint8 `[N]`, values below
 * `numClasses`) and returns the raw split. Throws an `FbtDataError` naming the file at fault.
 */
export function checkImageSplit(
  images: IdxArray,
  labels: IdxArray,
  names: { readonly images: string; readonly labels: string },
  numClasses: number,
): RawImageSplit {
  const pixels = expectUint8(images, 3, names.images, 'images [N, height, width]');
  const classes = expectUint8(labels, 1, names.labels, 'labels [N]');
  const [count, height, width] = images.shape as [number, number, number];
  if (labels.shape[0] !== count) {
    throw new FbtDataError(
      names.labels,
      `has ${labels.shape[0]} labels but ${names.images} has ${count} images; expected equal counts`,
    );
  }
  for (let i = 0; i < classes.length; i++) {
    if (classes[i]! >= numClasses) {
      throw new FbtDataError(
        names.labels,
        `label ${classes[i]} at index ${i}; expected 0..${numClasses - 1}`,
      );
    }
  }
  return { images: pixels, labels: classes, height, width };
}

/** A split decoded for training: pixels scaled to [0, 1] and int32 labels, plus the raw bytes. */
export interface DecodedImageSplit extends RawImageSplit {
  /** float32 `N·H·W` pixels, `raw / 255`. */
  readonly pixels: Float32Array;
  /** int32 `N` labels. */
  readonly classes: Int32Array;
}

/** Scales the pixels of a checked split to [0, 1] and widens the labels to int32. */
export function decodeImageSplit(raw: RawImageSplit): DecodedImageSplit {
  const pixels = new Float32Array(raw.images.length);
  for (let i = 0; i < pixels.length; i++) pixels[i] = raw.images[i]! / 255;
  const classes = new Int32Array(raw.labels.length);
  classes.set(raw.labels);
  return { ...raw, pixels, classes };
}

/**
 * Wraps a decoded split in new tensors (`[N, 1, H, W]` images, `[N]` labels) without copying:
 * the tensors share the decoded arrays, which must therefore stay unmodified.
 */
export function imageSplitTensors(decoded: DecodedImageSplit): ImageSplit {
  const count = decoded.classes.length;
  return {
    images: tensor(decoded.pixels, [count, 1, decoded.height, decoded.width]),
    labels: tensor(decoded.classes, [count]),
    raw: { images: decoded.images, labels: decoded.labels },
  };
}

/**
 * Parses the four IDX files of MNIST, Fashion-MNIST or any MNIST-style set from bytes (works in
 * browsers: fetch the files and pass their `ArrayBuffer`s). Labels must lie in `0..numClasses-1`.
 *
 * @example
 * const files = { trainImages: await (await fetch(url1)).arrayBuffer(), ... };
 * const { train, test } = parseImageDataset(files);
 */
export function parseImageDataset(files: ImageDatasetFiles, numClasses = 10): ImageDataset {
  const split = (images: BytesLike, labels: BytesLike, prefix: 'train' | 'test'): ImageSplit => {
    const names = { images: `${prefix} images`, labels: `${prefix} labels` };
    const raw = checkImageSplit(
      parseIdx(images, names.images),
      parseIdx(labels, names.labels),
      names,
      numClasses,
    );
    return imageSplitTensors(decodeImageSplit(raw));
  };
  return {
    train: split(files.trainImages, files.trainLabels, 'train'),
    test: split(files.testImages, files.testLabels, 'test'),
  };
}
