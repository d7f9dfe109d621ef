import type { Options } from 'tsup';

/**
 * The tsup build every fbt package shares: ESM and CJS bundles with `.d.ts` declarations and
 * source maps, targeting ES2022, into a cleaned `dist/`. `entry` lists the package's entry files;
 * `overrides` adds or replaces options for that package only.
 */
export function packageBuild(entry: string[], overrides: Options = {}): Options {
  return {
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    ...overrides,
  };
}
