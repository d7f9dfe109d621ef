// Usage: node scripts/pack.mjs DIR: packs every publishable package into DIR as `pnpm publish`
// would, and prints each tarball's path.
import { mkdirSync } from 'node:fs';
import { pack, publishablePackages } from './lib/packages.mjs';

const destination = process.argv[2];
if (destination === undefined) {
  console.error('usage: node scripts/pack.mjs DIR');
  process.exit(2);
}
mkdirSync(destination, { recursive: true });
for (const pkg of publishablePackages()) console.log(pack(pkg, destination).filename);
