#!/usr/bin/env node
/**
 * Measures what fbt adds to a web page: bundles a few typical entries with esbuild (ESM, minified,
 * browser platform, the built packages' `dist`, tree-shaken as an application bundler would) and
 * writes their sizes, raw and gzipped, as a Markdown table to `_generated/bundle-sizes.md`,
 * which the browser guide includes. Run by the docs' `build` and `dev` scripts after the packages
 * are built; the file is git-ignored.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { stdout } from 'node:process';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const outFile = join(here, '..', '_generated', 'bundle-sizes.md');

/** What a page imports, and the source of a module that imports it. */
const ENTRIES = [
  ['`@fbt/tensor`: everything', "export * from '@fbt/tensor';"],
  ['`tensor`, `add`, `ready` from `@fbt/tensor`', "export { tensor, add, ready } from '@fbt/tensor';"],
  [
    'what the two-moons example imports (from five packages)',
    [
      "export { backward } from '@fbt/autograd';",
      "export { Rng, tidy } from '@fbt/tensor';",
      "export { rule } from '@fbt/surrogates';",
      "export { Activation, Adam, Linear, Sequential, accuracy, crossEntropy } from '@fbt/layers';",
      "export { DataLoader, trainTestSplit, twoMoons } from '@fbt/datasets';",
    ].join('\n'),
  ],
  [
    'every export of tensor, autograd, surrogates, layers and datasets',
    ['tensor', 'autograd', 'surrogates', 'layers', 'datasets']
      .map((p) => `export * from '@fbt/${p}';`)
      .join('\n'),
  ],
  ['`@fbt/gpu` (gpu.js included), every export', "export * from '@fbt/gpu';"],
];

/** Bytes as KiB with one decimal. */
const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;

async function measure(source) {
  const result = await build({
    stdin: { contents: source, resolveDir: here, loader: 'js' },
    bundle: true,
    write: false,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'silent',
  });
  const bytes = result.outputFiles[0].contents;
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

const rows = [];
for (const [what, source] of ENTRIES) {
  const { raw, gzip } = await measure(source);
  rows.push(`| ${what} | ${kib(raw)} | ${kib(gzip)} |`);
}
await mkdir(dirname(outFile), { recursive: true });
await writeFile(
  outFile,
  [
    '| a page that imports | minified | gzipped |',
    '| --- | ---: | ---: |',
    ...rows,
    '',
    `Measured at build time with esbuild ${(await import('esbuild')).version} (\`--bundle --minify --format=esm\`).`,
    '',
  ].join('\n'),
);
stdout.write(`gen-bundle-sizes: wrote ${outFile}\n`);
