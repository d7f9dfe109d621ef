import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { main: 'src/main.ts', epoch: 'src/epoch.ts', 'gemm-child': 'src/machine/gemm-child.ts' },
  format: ['esm'],
  sourcemap: true,
  clean: true,
  target: 'node20',
  // TensorFlow.js stays external (its wasm backend loads its .wasm files relative to its own module),
  // except tfjs-core's gradient registrations, which are extensionless ESM that only a bundler resolves.
  // jax-js stays external too: the bench reads its version from its package.json.
  external: [
    '@tensorflow/tfjs-core',
    '@tensorflow/tfjs-backend-cpu',
    '@tensorflow/tfjs-backend-wasm',
    '@jax-js/jax',
  ],
  noExternal: [/register_all_gradients/],
});
