import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The page's entry, bundled from source. */
export const PAGE_ENTRY = fileURLToPath(new URL('../src/page-entry.ts', import.meta.url));

/** The repository path of a workspace file, e.g. `packages/datasets/src/node.ts`. */
export function repoPath(relative: string): string {
  return `${repoRoot}${relative}`;
}

const NODE_BUILTINS = new Set(builtinModules);

/**
 * Resolves `@fbt/<name>` to the workspace package's browser-safe source entry
 * `packages/<name>/src/index.ts` (as `vitest.shared.ts` does for the tests) and refuses subpaths
 * such as `@fbt/datasets/node`, which are the Node-only entries.
 */
const workspaceSources: Plugin = {
  name: 'fbt-workspace-sources',
  setup(b) {
    b.onResolve({ filter: /^@fbt\// }, ({ path, importer }) => {
      const match = /^@fbt\/([a-z-]+)$/.exec(path);
      if (match === null) {
        return { errors: [{ text: `'${path}' (imported by ${importer}) is not a browser entry of fbt` }] };
      }
      return { path: repoPath(`packages/${match[1]!}/src/index.ts`) };
    });
  },
};

/**
 * Resolves `@fbt/<name>` as npm users get it: from the packages installed under `project` (a folder
 * with a `node_modules` holding the packed tarballs), through their package.json `exports` with
 * esbuild's browser conditions, wherever the importer lives (the page's sources, or another package).
 */
function installedPackages(project: string): Plugin {
  return {
    name: 'fbt-installed-packages',
    setup(b) {
      b.onResolve({ filter: /^@fbt\// }, async ({ path, kind, pluginData }) => {
        if ((pluginData as { installed?: boolean } | undefined)?.installed) return undefined;
        const resolved = await b.resolve(path, {
          resolveDir: project,
          kind,
          pluginData: { installed: true },
        });
        return resolved.errors.length > 0 ? { errors: resolved.errors } : { path: resolved.path };
      });
    },
  };
}

/** Where the bundle takes the fbt packages from: the workspace's sources, or an npm install of the tarballs. */
export type PackageSource =
  { readonly kind: 'workspace' } | { readonly kind: 'installed'; readonly project: string };

/** Fails the build on any import of a Node builtin (`node:fs`, `zlib`, …), naming the importer. */
const noNodeBuiltins: Plugin = {
  name: 'no-node-builtins',
  setup(b) {
    b.onResolve({ filter: /^[a-z_:/]+$/ }, ({ path, importer }) => {
      if (!path.startsWith('node:') && !NODE_BUILTINS.has(path)) return undefined;
      return {
        errors: [{ text: `the browser bundle imports the Node builtin '${path}' (from ${importer})` }],
      };
    });
  },
};

/**
 * Bundles `entry` (default `src/page-entry.ts`) for the browser (IIFE, ES2022) with esbuild, the fbt
 * packages taken from their sources or, with an `installed` source, from the installed tarballs.
 * Throws with every esbuild error, one a line, when the build fails, e.g. when anything imports a
 * Node builtin.
 */
export async function bundleForBrowser(
  entry = PAGE_ENTRY,
  source: PackageSource = { kind: 'workspace' },
): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    logLevel: 'silent',
    plugins: [
      noNodeBuiltins,
      source.kind === 'workspace' ? workspaceSources : installedPackages(source.project),
    ],
  }).catch((error: unknown) => {
    const errors = (error as { errors?: { text: string; location: { file: string } | null }[] }).errors;
    if (errors === undefined) throw error;
    const lines = errors.map((e) => `  ${e.text}${e.location ? ` [${e.location.file}]` : ''}`);
    throw new Error(`esbuild could not bundle the page for the browser:\n${lines.join('\n')}`);
  });
  const [output] = result.outputFiles;
  if (output === undefined) throw new Error('esbuild produced no output file');
  return output.text;
}
