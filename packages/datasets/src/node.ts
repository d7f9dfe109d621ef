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
  downloadImageDataset,
  findImageFiles,
  MNIST_SPEC,
  loadFashionMnist,
  loadImageDataset,
  loadMnist,
  type ImageDatasetSpec,
  type ImageFileRole,
  type ImageFilesLocation,
  type ImageLoadOptions,
} from './node/image-loaders';
export { datasetMirror, datasetSearchPath, defaultCacheDir } from './node/paths';
export { DOWNLOAD_IDLE_TIMEOUT_MS, type DownloadOptions, type DownloadProgress } from './node/download';
