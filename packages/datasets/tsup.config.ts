import { packageBuild } from '../../tsup.base';

// index: browser-safe entry; node: adds the file, cache and download loaders (export condition `node`).
export default packageBuild(['src/index.ts', 'src/node.ts'], {
  // `import.meta.url` (used to find the shipped data file) also works in the CJS build.
  shims: true,
});
