import type { Command } from 'commander';
import { FbtDataError, findImageFiles } from '@fbt/datasets/node';
import { UsageError } from '../errors';
import { IMAGE_DATASETS, IMAGE_SOURCES, fetchImageData } from '../run/data-sources';
import type { CliIo, CommandContext } from './context';

/** `fetch`: downloads each named data set (or `all`) not found yet, verifies it and says where it is. */
async function fetchCommand(name: string, options: { dir?: string }, io: CliIo): Promise<void> {
  const names = name === 'all' ? IMAGE_DATASETS : IMAGE_DATASETS.filter((n) => n === name);
  if (names.length === 0) {
    throw new UsageError(
      `fetch: unknown data set '${name}'; valid: ${[...IMAGE_DATASETS, 'all'].join(', ')}`,
    );
  }
  if (options.dir === '') throw new UsageError('fetch: --dir is empty; expected a folder path');
  for (const n of names) {
    const { spec } = IMAGE_SOURCES[n];
    const found = options.dir === undefined ? findImageFiles(spec).dir : undefined;
    if (found !== undefined) {
      io.stdout.write(`${spec.name}: already at ${found}\n`);
      continue;
    }
    try {
      const dir = await fetchImageData(n, io.stdout, options.dir);
      const hint =
        options.dir === undefined ? '' : ` (set FBT_DATA_DIR=${options.dir} for fbt-repro to find it)`;
      io.stdout.write(`${spec.name}: verified, at ${dir}${hint}\n`);
    } catch (error) {
      if (error instanceof FbtDataError) throw new UsageError(`fetch ${n}: ${error.message}`);
      throw error;
    }
  }
}

/** Adds `fbt-repro fetch <dataset>`. */
export function addFetchCommand(program: Command, { io }: CommandContext): void {
  program
    .command('fetch')
    .description(
      'download a data set into the cache folder (or --dir), verify it by SHA-256 and say where it is',
    )
    .argument('<dataset>', `${[...IMAGE_DATASETS, 'all'].join(', ')}`)
    .option('--dir <folder>', 'the cache folder to fetch into (default: FBT_DATA_DIR or the per-user cache)')
    .action(async (name: string, options: { dir?: string }) => fetchCommand(name, options, io));
}
