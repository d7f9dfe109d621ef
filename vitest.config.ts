import { defineConfig } from 'vitest/config';

/** One vitest run over every package and app: `pnpm test` at the root. */
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'docs'],
  },
});
