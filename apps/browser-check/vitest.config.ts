import { defineProject } from 'vitest/config';
import { workspaceAliases } from '../../vitest.shared';

export default defineProject({
  resolve: {
    alias: workspaceAliases,
  },
  test: { name: '@fbt/browser-check', include: ['test/**/*.test.ts'], testTimeout: 120_000 },
});
