/* global URL */
// What the wasm backend's module is built from: the AssemblyScript sources and the compiler flags.
// The build script stamps their hash into the generated module; a test compares it with the sources.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The package root. */
export const packageDir = fileURLToPath(new URL('..', import.meta.url));
/** The AssemblyScript sources. */
export const assemblyDir = fileURLToPath(new URL('../assembly/', import.meta.url));
/** The generated TypeScript module embedding the compiled wasm (committed). */
export const generatedModule = fileURLToPath(
  new URL('../src/backends/wasm/module.generated.ts', import.meta.url),
);
/** Compiler flags: optimized, no runtime checks, the TLSF allocator, SIMD. */
export const ASC_FLAGS = [
  '-O3',
  '--runtime',
  'minimal',
  '--noAssert',
  '--enable',
  'simd',
  '--initialMemory',
  '16',
];

/** SHA-256 of the compiler flags and every source file (name and contents, sorted by name). */
export function sourceHash() {
  const hash = createHash('sha256').update(ASC_FLAGS.join(' '));
  for (const name of readdirSync(assemblyDir)
    .filter((f) => f.endsWith('.ts'))
    .sort()) {
    hash.update(`\n${name}\n`).update(readFileSync(assemblyDir + name));
  }
  return hash.digest('hex');
}
