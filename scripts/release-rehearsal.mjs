// Usage: node scripts/release-rehearsal.mjs CLONE, on a clone where `changeset version` has run (see
// scripts/release-dry.sh). Runs `pnpm publish -r --dry-run` there and prints each package's name,
// version, packed and unpacked size and files; then packs each package and checks that its packed
// package.json has no `workspace:` range left and that each @fbt dependency is `^` the version being
// released. Exits 1 on any mismatch.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pack, packedManifest, publishablePackages } from './lib/packages.mjs';

const clone = process.argv[2];
const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;

const summary = JSON.parse(
  execFileSync('pnpm', ['publish', '-r', '--dry-run', '--no-git-checks', '--json'], {
    cwd: clone,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }),
);
for (const pkg of summary) {
  console.log(
    `${pkg.name}@${pkg.version}: ${kB(pkg.size)} packed, ${kB(pkg.unpackedSize)} unpacked, ${pkg.files.length} files`,
  );
  console.log(`  ${pkg.files.map((f) => f.path).join(' ')}`);
}

const packages = publishablePackages(clone);
const versions = new Map(packages.map((pkg) => [pkg.name, pkg.manifest.version]));
const work = mkdtempSync(join(tmpdir(), 'fbt-release-rehearsal-'));
const problems = [];
try {
  for (const pkg of packages) {
    const manifest = packedManifest(pack(pkg, work).filename);
    for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
      for (const [name, range] of Object.entries(manifest[field] ?? {})) {
        const expected = versions.has(name) ? `^${versions.get(name)}` : undefined;
        if (range.startsWith('workspace:') || (expected !== undefined && range !== expected))
          problems.push(
            `${pkg.name}: ${field}.${name} is "${range}"${expected ? `, expected "${expected}"` : ''}`,
          );
      }
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
if (problems.length > 0) {
  for (const problem of problems) console.log(`release: FAILED, ${problem}`);
  process.exit(1);
}
console.log(
  `release: packed package.json files of ${packages.length} packages: every @fbt range is ^ the released version`,
);
