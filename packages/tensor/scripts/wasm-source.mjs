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
/** Compiler flags of every variant: optimized, no runtime checks, the TLSF allocator, SIMD. */
const BASE_FLAGS = ['-O3', '--runtime', 'minimal', '--noAssert', '--enable', 'simd', '--initialMemory', '16'];

/** Maximum pages (64 KiB each) of the shared memory the threaded modules import: 4 GiB, all of wasm32. */
export const SHARED_MAXIMUM_PAGES = 65536;
/**
 * Flags for the thread pool: the memory is imported and shared (every thread of the pool
 * instantiates the module on it), and the start function (which allocates the module's statics)
 * is exported as `_start` so only the calling thread runs it.
 */
const SHARED_FLAGS = [
  '--enable',
  'threads',
  '--importMemory',
  '--sharedMemory',
  '--maximumMemory',
  String(SHARED_MAXIMUM_PAGES),
  '--exportStart',
  '_start',
];
const RELAXED_FLAGS = ['--enable', 'relaxed-simd'];

/**
 * The module variants, each compiled from the same sources: `simd` (WebAssembly SIMD, the baseline
 * every supported engine runs) and `relaxedSimd` (adds the relaxed-SIMD proposal, so the GEMM
 * micro-kernel uses fused multiply-adds; picked at load time where the engine validates it). Both
 * import a shared memory for the thread pool; where shared memory is unavailable the loader declares
 * the import unshared (one byte), so no second build is shipped. `exportName` is the constant of the
 * generated module that holds the variant's base64.
 */
export const WASM_VARIANTS = [
  { name: 'simd', exportName: 'WASM_SIMD_BASE64', flags: [...BASE_FLAGS, ...SHARED_FLAGS] },
  {
    name: 'relaxedSimd',
    exportName: 'WASM_RELAXED_SIMD_BASE64',
    flags: [...BASE_FLAGS, ...RELAXED_FLAGS, ...SHARED_FLAGS],
  },
];

/** SHA-256 of every variant's compiler flags and every source file (name and contents, sorted by name). */
export function sourceHash() {
  const hash = createHash('sha256');
  for (const variant of WASM_VARIANTS) hash.update(`${variant.name}: ${variant.flags.join(' ')}\n`);
  for (const name of readdirSync(assemblyDir)
    .filter((f) => f.endsWith('.ts'))
    .sort()) {
    hash.update(`\n${name}\n`).update(readFileSync(assemblyDir + name));
  }
  return hash.digest('hex');
}
