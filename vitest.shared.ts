import { fileURLToPath } from 'node:url';

/** One vite alias: an exact module specifier and the source file it resolves to. */
export interface WorkspaceAlias {
  find: RegExp;
  replacement: string;
}

const source = (path: string): string => fileURLToPath(new URL(`./packages/${path}`, import.meta.url));

const entries: [string, string][] = [
  ['@fbt/tensor', 'tensor/src/index.ts'],
  ['@fbt/autograd', 'autograd/src/index.ts'],
  ['@fbt/surrogates', 'surrogates/src/index.ts'],
  ['@fbt/layers', 'layers/src/index.ts'],
  ['@fbt/layers/node', 'layers/src/node.ts'],
  ['@fbt/datasets', 'datasets/src/index.ts'],
  ['@fbt/datasets/node', 'datasets/src/node.ts'],
  ['@fbt/gpu', 'gpu/src/index.ts'],
];

/**
 * Tests import workspace packages from their sources, so a change in one package is seen by the
 * tests of the packages above it without a rebuild; the consumer matrix (scripts/pack-check.sh) covers the built output.
 * Each specifier matches exactly, so `@fbt/layers/node` is not mistaken for a path under `@fbt/layers`.
 */
export const workspaceAliases: WorkspaceAlias[] = entries.map(([specifier, path]) => ({
  find: new RegExp(`^${specifier.replace(/\//g, '\\/')}$`),
  replacement: source(path),
}));
