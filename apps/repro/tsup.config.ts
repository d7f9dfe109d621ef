import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/cli.ts', 'src/worker.ts', 'src/queue-job.ts'],
  format: ['esm'],
  sourcemap: true,
  clean: true,
  target: 'node20',
  banner: { js: '#!/usr/bin/env node' },
});
