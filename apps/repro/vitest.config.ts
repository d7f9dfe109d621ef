import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';
import { workspaceAliases } from '../../vitest.shared';

/** `@fbt/datasets/node` (the Node loaders) must resolve before the bare `@fbt/datasets` alias. */
const datasetsNode = fileURLToPath(new URL('../../packages/datasets/src/node.ts', import.meta.url));

export default defineProject({
  resolve: {
    alias: [
      { find: /^@fbt\/datasets\/node$/, replacement: datasetsNode },
      ...Object.entries(workspaceAliases).map(([find, replacement]) => ({
        find: new RegExp(`^${find}$`),
        replacement,
      })),
    ],
  },
  test: { name: '@fbt/repro', include: ['test/**/*.test.ts'], testTimeout: 120_000 },
});
