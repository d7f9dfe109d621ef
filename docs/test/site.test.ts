import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS } from './artifacts';
import { playgroundChecks } from './playground-page';

/** Debian's Chromium (apt package `chromium`); playwright's own browsers are never downloaded. */
const CHROMIUM_PATH = '/usr/bin/chromium';
const DOCS = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(DOCS, '.vitepress', 'dist');

/** Why the browser checks cannot run here, or null. Without Chromium they fail in CI and skip elsewhere. */
function chromiumMissing(): string | null {
  if (existsSync(CHROMIUM_PATH)) return null;
  const reason = `${CHROMIUM_PATH} not found (install Debian's chromium package)`;
  if (process.env.CI) throw new Error(`@fbt/docs: ${reason}; the site checks must run in CI`);
  return `${reason}; skipping the browser checks of the docs site`;
}

const skipReason = chromiumMissing();
if (skipReason !== null) console.warn(`@fbt/docs: ${skipReason}`);

/** Runs the docs' `build` script (generators, TypeDoc, VitePress); resolves with its exit code and output. */
function buildSite(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    // A clean environment: vitest's NODE_ENV=test would make Vite build Vue in development mode.
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([key]) => key !== 'NODE_ENV' && !key.startsWith('VITEST')),
    );
    const child = spawn('pnpm', ['run', 'build'], { cwd: DOCS, env: { ...env, FORCE_COLOR: '0' } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** The lines of a build log that report a problem: TypeDoc's `[warning]`, Vite's `(!)`, any "warn"/"error". */
function warnings(output: string): string[] {
  return output.split('\n').filter((line) => /warn|error|\(!\)/i.test(line));
}

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** Serves the built site as a static host with clean URLs does (`/guide/x` → `guide/x.html`). */
function serve(root: string): Promise<Server> {
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    const candidates = [path, `${path}.html`, join(path, 'index.html')].map((p) => join(root, p));
    const file = candidates.find((c) => c.startsWith(root) && existsSync(c) && extname(c) !== '');
    if (file === undefined) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    response.end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Every page of the built site as a URL path (`/`, `/guide/getting-started`, …). */
function pages(dir = DIST): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'assets' ? [] : pages(full);
    if (!entry.name.endsWith('.html') || entry.name === '404.html') return [];
    return [
      `/${relative(DIST, full).replace(/\\/g, '/')}`
        .replace(/(^|\/)index\.html$/, '$1')
        .replace(/\.html$/, ''),
    ];
  });
}

describe('the docs site', () => {
  let build: { code: number | null; output: string };

  beforeAll(async () => {
    build = await buildSite();
  }, 600_000);

  it('builds with no warnings', () => {
    expect(build.code, build.output).toBe(0);
    expect(warnings(build.output)).toEqual([]);
  });

  describe.skipIf(skipReason !== null)('in Chromium', () => {
    let server: Server;
    let browser: Browser;
    let origin: string;

    beforeAll(async () => {
      server = await serve(DIST);
      origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      browser = await chromium.launch({
        executablePath: CHROMIUM_PATH,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      });
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
      server?.close();
    });

    it('loads every page with no console error and no failed request', async () => {
      const all = pages();
      expect(all.length).toBeGreaterThan(20);
      const problems: string[] = [];
      const page = await browser.newPage();
      let current = '';
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`${current}: console.error ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`${current}: page error ${error.message}`));
      page.on('response', (response) => {
        if (response.status() >= 400) problems.push(`${current}: ${response.status()} ${response.url()}`);
      });
      // Requests still in flight when the next page is opened (prefetches) are aborted: not a problem.
      page.on('requestfailed', (request) => {
        const error = request.failure()?.errorText ?? '';
        if (error !== 'net::ERR_ABORTED') problems.push(`${current}: ${error} ${request.url()}`);
      });
      for (const path of all) {
        current = path;
        await page.goto(`${origin}${path}`, { waitUntil: 'load' });
      }
      await page.close();
      expect(problems).toEqual([]);
    }, 300_000);

    it('renders the formulas of a rule page as math and draws its plots with axes', async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(`${origin}/reference/rules#rectangular`, { waitUntil: 'load' });
      // The formula is MathJax output (an SVG), and no code span holds LaTeX.
      expect(await page.locator('mjx-container svg').count()).toBeGreaterThanOrEqual(20);
      expect(await page.locator('p code', { hasText: '\\psi' }).count()).toBe(0);
      // Its source is still there, collapsed.
      expect(
        await page
          .locator('details.fbt-tex code', { hasText: /^\\psi\(z\) = \\mathbb\{1\}\[a \\le z \\le b\]\s*$/ })
          .count(),
      ).toBe(1);
      // The plot: x and y axes, tick labels, a legend naming ψ and the derivative it replaces.
      const figure = page.locator('h3#rectangular ~ figure.fbt-plot').first();
      await expect(figure.locator('.fbt-x-axis').count()).resolves.toBe(1);
      await expect(figure.locator('.fbt-y-axis').count()).resolves.toBe(1);
      expect(await figure.locator('.fbt-tick').count()).toBeGreaterThan(8);
      expect(await figure.locator('.fbt-legend').allTextContents()).toEqual([
        'ψ(z): rectangular',
        'φ′(z): the derivative of heaviside it replaces',
        'φ(z): heaviside',
      ]);
      expect(await figure.locator('figcaption').textContent()).toContain(
        'default parameters a = −0.5, b = 0.5',
      );

      mkdirSync(ARTIFACTS, { recursive: true });
      await figure.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(ARTIFACTS, 'rule-rectangular-light.png') });
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.evaluate(() => document.documentElement.classList.add('dark'));
      await page.screenshot({ path: join(ARTIFACTS, 'rule-rectangular-dark.png') });
      await page.close();
    }, 60_000);

    it('shows a figure on the home page, links to the repository and the six npm packages, and has a favicon', async () => {
      const page = await browser.newPage();
      await page.goto(`${origin}/`, { waitUntil: 'load' });
      const figure = page.locator('.vp-doc figure.fbt-plot svg.fbt-chart');
      expect(await figure.count()).toBe(1);
      expect(await figure.locator('.fbt-tick').count()).toBeGreaterThan(5);
      const links = page.getByTestId('home-links').locator('a');
      const targets = await links.evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
      const repository = JSON.parse(
        readFileSync(join(DOCS, '..', 'packages', 'tensor', 'package.json'), 'utf8'),
      )
        .repository.url.replace(/^git\+/, '')
        .replace(/\.git$/, '');
      expect(targets).toEqual([
        repository,
        ...['tensor', 'autograd', 'surrogates', 'layers', 'datasets', 'gpu'].map(
          (name) => `https://www.npmjs.com/package/@fbt/${name}`,
        ),
      ]);
      const icon = await page.locator('link[rel=icon]').getAttribute('href');
      const response = await page.request.get(`${origin}${icon}`);
      expect(response.headers()['content-type']).toBe('image/svg+xml');
      expect(await response.text()).toMatch(/^<svg/);
      await page.close();
    }, 60_000);

    playgroundChecks(() => ({ browser, origin }));
  });
});
