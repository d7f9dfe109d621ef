/**
 * @fbt/datasets: MNIST-style IDX files, DIGITS, the paper's synthetic sets, splits and a seeded
 * batch loader. This entry is browser-safe (parsing works on bytes); the Node entry (the package's
 * `node` export condition, or `@fbt/datasets/node`) adds the file, cache and download loaders.
 * @packageDocumentation
 */
export * from './errors';
export { isGzip, type BytesLike } from './gzip';
export * from './idx';
export {
  parseImageDataset,
  type ImageDataset,
  type ImageDatasetFiles,
  type ImageSplit,
} from './image-dataset';
export * from './digits';
export type { RngLike } from './random';
export * from './synthetic';
export * from './split';
export * from './transforms';
export * from './data-loader';
