// The workspace's publishable packages (every packages/* that is not private) and how to pack one
// as `pnpm publish` would: `workspace:` ranges replaced by real ones, only the files npm would ship.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (with a trailing slash). */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * `{ name, dir, manifest }` for each publishable package under `root/packages`, in directory order.
 * @param {string} [root]
 */
export function publishablePackages(root = ROOT) {
  const packagesDir = join(root, 'packages');
  return readdirSync(packagesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => {
      const dir = join(packagesDir, entry.name);
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      return { name: manifest.name, dir, manifest };
    })
    .filter((pkg) => pkg.manifest.private !== true);
}

/**
 * Packs `pkg` with `pnpm pack` into `destination`; returns pnpm's summary
 * (`{ name, version, filename, files: [{ path }] }`, `filename` absolute).
 */
export function pack(pkg, destination) {
  const json = execFileSync('pnpm', ['pack', '--pack-destination', destination, '--json'], {
    cwd: pkg.dir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return JSON.parse(json);
}

/** The package.json inside a packed tarball, as npm will install it. */
export function packedManifest(tarball) {
  return JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }));
}
