import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tensor } from '@fbt/tensor';
import { loadJSONFile, loadSafetensorsFile, saveJSONFile, saveSafetensorsFile } from '../src/node';
import { values } from './helpers';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('node file helpers', () => {
  it('write atomically (no temporary file left) and read back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fbt-layers-'));
    dirs.push(dir);
    const state = { w: tensor([[1, 2, 3]]), n: tensor(new Int32Array([5]), [1]) };
    await saveSafetensorsFile(join(dir, 'm.safetensors'), state, { run: 'a' });
    await saveSafetensorsFile(join(dir, 'm.safetensors'), state, { run: 'b' });
    await saveJSONFile(join(dir, 'm.json'), state);
    expect((await readdir(dir)).sort()).toEqual(['m.json', 'm.safetensors']);
    const fromST = await loadSafetensorsFile(join(dir, 'm.safetensors'));
    const fromJSON = await loadJSONFile(join(dir, 'm.json'));
    for (const loaded of [fromST, fromJSON]) {
      expect(values(loaded.w!)).toEqual([1, 2, 3]);
      expect(loaded.n!.dtype).toBe('int32');
    }
    expect((await readFile(join(dir, 'm.safetensors'))).includes('"run":"b"')).toBe(true);
    await expect(saveJSONFile(join(dir, 'missing', 'x.json'), state)).rejects.toThrow(/ENOENT/);
    expect((await readdir(dir)).sort()).toEqual(['m.json', 'm.safetensors']);
  });
});
