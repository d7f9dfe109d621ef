import type { Options } from 'tsup';

/**
 * The tsup build every fbt package shares: ESM and CJS bundles with `.d.ts`/`.d.cts` declarations
 * and source maps, targeting ES2022, into a cleaned `dist/`. `entry` lists the package's entry files;
 * `overrides` adds or replaces options for that package only.
 *
 * With several entries, the CJS build shares chunks between them as the ESM build does (`splitting`),
 * so no class exists twice: without it, `@fbt/layers/node` in CJS had its own copy of `Module`, and
 * saving a model from `@fbt/layers` failed its `instanceof` check. A single entry keeps esbuild's
 * plain CJS output (CJS splitting goes through a second transform that rewrites `?.` and `??`).
 */
export function packageBuild(entry: string[], overrides: Options = {}): Options {
  return {
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    splitting: entry.length > 1,
    target: 'es2022',
    ...overrides,
  };
}
