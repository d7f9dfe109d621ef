import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runThreadChecks, type ThreadCheckResult } from '../src/thread-checks';
import type { ThreadPageResult } from '../src/thread-page-entry';
import { bundleForBrowser } from './bundle';
import { chromiumMissing, launchChromium } from './chromium';

/*
 * Threaded wasm in Chromium: a page served cross-origin isolated (COOP same-origin + COEP
 * require-corp, set by this test's server) trains on 2 kernel threads in a Web Worker, with the same
 * bits as on 1; the page's main thread, and a page served without the headers, run on 1 thread and
 * say why.
 */

const THREAD_COUNTS = [1, 2];
const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

const skipReason = chromiumMissing();

/** Serves the page and the worker bundle; under `/isolated/` with the isolation headers, under `/plain/` without. */
async function serve(page: string, worker: string): Promise<Server> {
  const server = createServer((request, response) => {
    const match = /^\/(isolated|plain)\/(index\.html|page\.js|worker\.js)$/.exec(request.url ?? '');
    if (match === null) {
      response.writeHead(404).end();
      return;
    }
    const [, mode, file] = match;
    const headers: Record<string, string> = mode === 'isolated' ? { ...ISOLATION } : {};
    headers['Content-Type'] = file === 'index.html' ? 'text/html' : 'text/javascript';
    const body =
      file === 'index.html'
        ? '<!doctype html><title>fbt threads</title><link rel="icon" href="data:,"><script src="page.js"></script>'
        : file === 'page.js'
          ? page
          : worker;
    response.writeHead(200, headers).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

describe.skipIf(skipReason !== null)('threaded wasm in headless Chromium', () => {
  let server: Server;
  let browser: Browser;
  const results: Record<'isolated' | 'plain', ThreadPageResult> = {} as never;
  let node: ThreadCheckResult;

  beforeAll(async () => {
    const [page, worker] = await Promise.all([
      bundleForBrowser(new URL('../src/thread-page-entry.ts', import.meta.url).pathname),
      bundleForBrowser(new URL('../src/thread-worker-entry.ts', import.meta.url).pathname),
    ]);
    server = await serve(page, worker);
    browser = await launchChromium();
    const { port } = server.address() as AddressInfo;
    for (const mode of ['isolated', 'plain'] as const) {
      const tab = await browser.newPage();
      const problems: string[] = [];
      tab.on('pageerror', (error) => problems.push(error.message));
      tab.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text());
      });
      await tab.goto(`http://127.0.0.1:${port}/${mode}/index.html`);
      results[mode] = await tab.evaluate((counts) => window.__fbtThreads!(counts), THREAD_COUNTS);
      expect(problems, mode).toEqual([]);
      await tab.close();
    }
    node = await runThreadChecks(THREAD_COUNTS);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('a cross-origin isolated page runs the worker on 2 kernel threads, with the bits of 1 thread', () => {
    const { worker } = results.isolated;
    expect(worker.isolated).toBe(true);
    expect(worker.info).toEqual({ name: 'wasm', threads: 2, threadsReason: 'setThreads(2)' });
    const [one, two] = worker.losses;
    expect(one!.every(Number.isFinite)).toBe(true);
    expect(one![3]).toBeLessThan(one![0]!); // the run learns
    expect(two).toEqual(one); // Object.is per loss: the same bits
  });

  it("the page's main thread runs on 1 thread and says why", () => {
    expect(results.isolated.main.threads).toBe(1);
    expect(results.isolated.main.threadsReason).toMatch(/main thread of a page may not block/);
  });

  it('a page served without COOP/COEP runs on 1 thread and names the headers', () => {
    const { worker } = results.plain;
    expect(worker.isolated).toBe(false);
    expect(worker.info.threads).toBe(1);
    expect(worker.info.threadsReason).toMatch(
      /cross-origin isolated.*Cross-Origin-Embedder-Policy: require-corp/,
    );
    // One thread, the own-memory module: still the same losses as the isolated page's.
    expect(worker.losses[0]).toEqual(results.isolated.worker.losses[0]);
  });

  it('Node gives the same bits on 1 and 2 threads', () => {
    expect(node.info.threads).toBe(2);
    expect(node.losses[1]).toEqual(node.losses[0]);
  });
});
