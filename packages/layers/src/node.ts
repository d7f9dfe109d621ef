/**
 * Node-only file helpers of @fbt/layers (import `@fbt/layers/node`). They write atomically: the
 * bytes go to a temporary file beside the target, which is then renamed over it, so a crash never
 * leaves a half-written weight file.
 * @packageDocumentation
 */
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { loadJSON, saveJSON } from './io/json';
import {
  loadSafetensors,
  saveSafetensors,
  type LoadSafetensorsOptions,
  type SafetensorsMetadata,
} from './io/safetensors';
import type { StateSource } from './io/state-source';
import type { StateDict } from './module';

let tempCounter = 0;

/** Writes `data` to `path` through a temporary file and a rename. */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const temp = `${path}.${process.pid}.${tempCounter++}.tmp`;
  try {
    await writeFile(temp, data);
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
}

/** Saves a module's state (or a state dict) as a `.safetensors` file, atomically. */
export async function saveSafetensorsFile(
  path: string,
  source: StateSource,
  metadata?: SafetensorsMetadata,
): Promise<void> {
  await writeFileAtomic(path, saveSafetensors(source, metadata));
}

/** Reads a `.safetensors` file into a state dict (`options` as in `loadSafetensors`). */
export async function loadSafetensorsFile(
  path: string,
  options?: LoadSafetensorsOptions,
): Promise<StateDict> {
  const buffer = await readFile(path);
  return loadSafetensors(new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength), options);
}

/** Saves a module's state (or a state dict) as a JSON weight file, atomically. */
export async function saveJSONFile(path: string, source: StateSource): Promise<void> {
  await writeFileAtomic(path, saveJSON(source));
}

/** Reads a JSON weight file into a state dict. */
export async function loadJSONFile(path: string): Promise<StateDict> {
  return loadJSON(await readFile(path, 'utf8'));
}
