import { fileURLToPath } from 'node:url';

const pkg = (name: string): string => fileURLToPath(new URL(`./packages/${name}/src/index.ts`, import.meta.url));

/**
 * Tests import workspace packages from their sources, so a change in one package is seen by the
 * tests of the packages above it without a rebuild. The packed-tarball check covers the built output.
 */
export const workspaceAliases: Record<string, string> = {
  '@fbt/tensor': pkg('tensor'),
  '@fbt/autograd': pkg('autograd'),
  '@fbt/surrogates': pkg('surrogates'),
  '@fbt/layers': pkg('layers'),
  '@fbt/datasets': pkg('datasets'),
  '@fbt/gpu': pkg('gpu'),
};
