import { defineConfig } from 'tsup';

export default defineConfig({
  // index: browser-safe entry; node: adds the file, cache and download loaders (export condition `node`).
  entry: ['src/index.ts', 'src/node.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  // `import.meta.url` (used to find the shipped data file) also works in the CJS build.
  shims: true,
});
