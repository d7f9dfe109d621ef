/**
 * Node entry of @fbt/datasets (the `node` export condition and `@fbt/datasets/node`): everything
 * of the browser entry plus loaders that read files, use the cache folder and download.
 * @packageDocumentation
 */
export * from './index';
export { loadDigits } from './node/digits';
export {
  FASHION_MNIST_SPEC,
  clearDatasetMemo,
  MNIST_SPEC,
  loadFashionMnist,
  loadImageDataset,
  loadMnist,
  type ImageDatasetSpec,
  type ImageFileRole,
  type ImageLoadOptions,
} from './node/image-loaders';
export { defaultCacheDir } from './node/paths';
