import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FbtDataError,
  clearDatasetMemo,
  defaultCacheDir,
  downloadImageDataset,
  findImageFiles,
  loadImageDataset,
  writeIdx,
  type ImageDatasetSpec,
  type ImageFileRole,
} from '../src/node';
import { downloadIdx } from '../src/node/download';

/** A tiny MNIST-style set: 6 train and 2 test images of 4×4; image i is filled with 10·i, label i mod 10. */
function idxFiles(): Record<ImageFileRole, Uint8Array> {
  const images = (n: number): Uint8Array =>
    writeIdx({
      shape: [n, 4, 4],
      data: Uint8Array.from({ length: n * 16 }, (_, k) => 10 * Math.floor(k / 16)),
    });
  const labels = (n: number): Uint8Array =>
    writeIdx({ shape: [n], data: Uint8Array.from({ length: n }, (_, i) => i % 10) });
  return { trainImages: images(6), trainLabels: labels(6), testImages: images(2), testLabels: labels(2) };
}

const raw = idxFiles();
const roles = Object.keys(raw) as ImageFileRole[];
const names: Record<ImageFileRole, string> = {
  trainImages: 'tiny-train-images',
  trainLabels: 'tiny-train-labels',
  testImages: 'tiny-test-images',
  testLabels: 'tiny-test-labels',
};
const sha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

function specFor(url: string): ImageDatasetSpec {
  const files = Object.fromEntries(roles.map((r) => [r, { name: names[r], sha256: sha(raw[r]) }]));
  return {
    name: 'Tiny',
    cacheName: 'tiny',
    url,
    files: files as ImageDatasetSpec['files'],
    offlineDirs: () => [],
    numClasses: 10,
  };
}

let server: Server;
let base = '';
let requests = 0;
const workDirs: string[] = [];

function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fbt-datasets-'));
  workDirs.push(dir);
  return dir;
}

function listing(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

beforeAll(async () => {
  const served = new Map(roles.map((r) => [`${names[r]}.gz`, gzipSync(raw[r])]));
  server = createServer((req, res) => {
    requests++;
    const parts = (req.url ?? '').split('/');
    const mode = parts[1];
    const body = served.get(parts[parts.length - 1] ?? '');
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': body.length });
    if (mode === 'stall') {
      // send half, then nothing more (the connection stays open)
      res.write(body.subarray(0, body.length >> 1));
      return;
    }
    if (mode === 'drop') {
      // send half, then cut the connection
      res.write(body.subarray(0, body.length >> 1), () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    }
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  for (const dir of workDirs) rmSync(dir, { recursive: true, force: true });
});

describe('download into the cache', () => {
  it('downloads, verifies, caches, and then loads from the cache offline', async () => {
    const cacheDir = freshDir();
    const spec = specFor(`${base}/ok`);
    const data = await loadImageDataset(spec, { cacheDir, download: true });
    expect(data.train.images.shape).toEqual([6, 1, 4, 4]);
    expect(data.test.labels.shape).toEqual([2]);
    expect(Array.from(data.train.labels.dataSync())).toEqual([0, 1, 2, 3, 4, 5]);
    expect(data.train.images.dataSync()[16 * 5]).toBeCloseTo(50 / 255, 7);
    expect(listing(join(cacheDir, 'tiny'))).toEqual(roles.map((r) => `${names[r]}.gz`).sort());
    const before = requests;
    const again = await loadImageDataset(spec, { cacheDir });
    expect(requests).toBe(before);
    expect(Array.from(again.test.images.dataSync())).toEqual(Array.from(data.test.images.dataSync()));
  });

  it('re-verifies cached files on load: a corrupt cache file names itself and both digests', async () => {
    const cacheDir = freshDir();
    const spec = specFor(`${base}/ok`);
    await loadImageDataset(spec, { cacheDir, download: true });
    const tampered = Uint8Array.from(raw.trainImages);
    tampered[20]! ^= 0x10; // one pixel: still a valid IDX file, and a valid gzip stream
    const path = join(cacheDir, 'tiny', `${names.trainImages}.gz`);
    writeFileSync(path, gzipSync(tampered));
    clearDatasetMemo();
    const error = await loadImageDataset(spec, { cacheDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FbtDataError);
    expect((error as Error).message).toBe(
      `${path}: checksum mismatch: SHA-256 of the IDX content is ${sha(tampered)}; expected ${sha(raw.trainImages)}; ` +
        'the file is corrupt or not the expected one; delete it to fetch it again',
    );
  });

  it('refuses unknown option keys', async () => {
    await expect(loadImageDataset(specFor(base), { cache: freshDir() } as never)).rejects.toThrow(
      "loadImageDataset (Tiny): unknown option 'cache'; valid options: dir, url, cacheDir, download, sha256",
    );
    await expect(loadImageDataset(specFor(base), { sha256: { train: '0' } } as never)).rejects.toThrow(
      "loadImageDataset (Tiny): sha256: unknown option 'train'; valid options: trainImages, trainLabels, testImages, testLabels",
    );
  });

  it('rejects a checksum mismatch and caches nothing for that file', async () => {
    const cacheDir = freshDir();
    const wrong = '0'.repeat(64);
    const options = { cacheDir, download: true, sha256: { trainImages: wrong } };
    const error = await loadImageDataset(specFor(`${base}/ok/`), options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FbtDataError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `tiny-train-images.gz: checksum mismatch: SHA-256 of the IDX content is ${sha(raw.trainImages)}; expected 0{64}`,
      ),
    );
    expect(listing(join(cacheDir, 'tiny')).filter((f) => f.startsWith('tiny-train-images'))).toEqual([]);
  });

  it('reports a connection dropped half-way and leaves no trusted or temporary file', async () => {
    const cacheDir = freshDir();
    const attempt = loadImageDataset(specFor(`${base}/drop`), { cacheDir, download: true });
    await expect(attempt).rejects.toThrow(/drop\/tiny-train-images\.gz: download interrupted/);
    expect(listing(join(cacheDir, 'tiny'))).toEqual([]);
    // a later run must not trust anything: without download it reports the files as missing
    await expect(loadImageDataset(specFor(`${base}/drop`), { cacheDir })).rejects.toThrow(/not found/);
  });

  it('reports an HTTP error', async () => {
    const spec = {
      ...specFor(`${base}/ok`),
      files: { ...specFor(base).files, testLabels: { name: 'absent', sha256: '' } },
    };
    await expect(loadImageDataset(spec, { cacheDir: freshDir(), download: true })).rejects.toThrow(
      /ok\/absent\.gz: download failed with HTTP 404/,
    );
  });

  it('without download, names the places it looked and how to proceed', async () => {
    const cacheDir = freshDir();
    const error = await loadImageDataset(specFor(base), { cacheDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FbtDataError);
    expect((error as Error).message).toMatch(
      /^Tiny: files tiny-train-images, .* not found; looked in .*tiny; pass \{ dir \}/,
    );
  });
});

describe('a user-named directory', () => {
  it('loads raw and gzip files from it', async () => {
    const dir = freshDir();
    for (const r of roles) {
      if (r === 'trainImages') writeFileSync(join(dir, `${names[r]}.gz`), gzipSync(raw[r]));
      else writeFileSync(join(dir, names[r]), raw[r]);
    }
    const data = await loadImageDataset(specFor(base), { dir });
    expect(data.train.images.shape).toEqual([6, 1, 4, 4]);
    expect(data.train.raw.images.length).toBe(96);
  });

  it('reports a missing directory, missing files and mismatched counts', async () => {
    const missing = join(freshDir(), 'nope');
    await expect(loadImageDataset(specFor(base), { dir: missing })).rejects.toThrow(
      /nope: is not an existing directory/,
    );
    const partial = freshDir();
    writeFileSync(join(partial, names.trainImages), raw.trainImages);
    await expect(loadImageDataset(specFor(base), { dir: partial })).rejects.toThrow(
      /has no tiny-train-labels, tiny-test-images, tiny-test-labels \(raw or \.gz\)/,
    );
    const mismatched = freshDir();
    mkdirSync(mismatched, { recursive: true });
    for (const r of roles)
      writeFileSync(join(mismatched, names[r]), r === 'testLabels' ? raw.trainLabels : raw[r]);
    await expect(loadImageDataset(specFor(base), { dir: mismatched })).rejects.toThrow(
      /tiny-test-labels: has 6 labels but .*tiny-test-images has 2 images/,
    );
  });
});

describe('defaultCacheDir', () => {
  it('honours FBT_DATA_DIR', () => {
    const saved = process.env.FBT_DATA_DIR;
    process.env.FBT_DATA_DIR = '/somewhere/data';
    try {
      expect(defaultCacheDir()).toBe('/somewhere/data');
    } finally {
      if (saved === undefined) delete process.env.FBT_DATA_DIR;
      else process.env.FBT_DATA_DIR = saved;
    }
    if (saved === undefined) expect(defaultCacheDir()).toMatch(/fbt$/);
  });
});

describe('search path, mirror, progress and idle timeout', () => {
  const saved = { path: process.env.FBT_DATASET_PATH, mirror: process.env.FBT_DATASET_MIRROR };
  const restore = (): void => {
    for (const [key, value] of [
      ['FBT_DATASET_PATH', saved.path],
      ['FBT_DATASET_MIRROR', saved.mirror],
    ] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };

  it('FBT_DATASET_PATH replaces the offline folders: <folder>/<set> is found, the folder itself is not, an empty value hides them all', () => {
    const root = freshDir();
    const folder = join(root, 'tiny');
    mkdirSync(folder);
    for (const r of roles) writeFileSync(join(folder, names[r]), raw[r]);
    const spec = { ...specFor(`${base}/ok`), offlineDirs: () => [folder] };
    const cacheDir = freshDir();
    try {
      process.env.FBT_DATASET_PATH = root;
      expect(findImageFiles(spec, { cacheDir }).dir).toBe(folder);
      process.env.FBT_DATASET_PATH = folder; // holds the files but no tiny/ subfolder
      expect(findImageFiles(spec, { cacheDir }).dir).toBeUndefined();
      process.env.FBT_DATASET_PATH = '';
      expect(findImageFiles(spec, { cacheDir })).toEqual({
        dir: undefined,
        searched: [join(cacheDir, 'tiny')],
      });
      delete process.env.FBT_DATASET_PATH;
      expect(findImageFiles(spec, { cacheDir }).dir).toBe(folder);
    } finally {
      restore();
    }
  });

  it('FBT_DATASET_MIRROR serves <mirror>/<set>/<file>.gz; progress reports every file up to its length', async () => {
    const cacheDir = freshDir();
    const seen: { url: string; received: number; total: number | null }[] = [];
    try {
      process.env.FBT_DATASET_MIRROR = `${base}/ok/`;
      const dir = await downloadImageDataset(specFor('http://127.0.0.1:1/unused'), {
        cacheDir,
        onProgress: (p) => seen.push(p),
      });
      expect(dir).toBe(join(cacheDir, 'tiny'));
      expect(listing(dir)).toEqual(roles.map((r) => `${names[r]}.gz`).sort());
      expect(findImageFiles(specFor('unused'), { cacheDir }).dir).toBe(dir);
    } finally {
      restore();
    }
    for (const r of roles) {
      const events = seen.filter((p) => p.url === `${base}/ok/tiny/${names[r]}.gz`);
      expect(events[0]!.received).toBe(0);
      expect(events.at(-1)!.received).toBe(events.at(-1)!.total);
    }
  });

  it('a mirror that stops sending fails after the idle timeout and caches nothing', async () => {
    const dir = freshDir();
    const dest = join(dir, 'x.gz');
    const url = `${base}/stall/${names.trainImages}.gz`;
    await expect(downloadIdx(url, dest, sha(raw.trainImages), { idleTimeoutMs: 200 })).rejects.toThrow(
      /download interrupted after \d+ of \d+ bytes \(no data for 200 ms\); nothing was cached/,
    );
    expect(listing(dir)).toEqual([]);
  });
});
