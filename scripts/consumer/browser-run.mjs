// Usage: node scripts/consumer/browser-run.mjs DIST: opens DIST/index.html (a Vite build of the README
// example) in headless Chromium, served from a made-up origin by playwright-core's request routing, and
// waits for the example's console.log lines. Fails on any page error or console error, on a timeout,
// and when the lines differ from what the README's `// → …` comments promise (e.g. `tied 0.725`).
import { existsSync, readFileSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { chromium } from 'playwright-core';

const dist = process.argv[2];
const ORIGIN = 'http://fbt-consumer.test';
const CHROMIUM = '/usr/bin/chromium';
const TIMEOUT_MS = 120_000;
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const example = /^```ts\n([\s\S]*?)^```$/m.exec(readme)?.[1] ?? '';
const promised = [...example.matchAll(/console\.log\(.*\/\/ → (.+)$/gm)].map((m) => m[1].trim());

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
let timer;
try {
  const page = await browser.newPage();
  await page.route(`${ORIGIN}/**`, (route) => {
    const file = join(dist, normalize(new URL(route.request().url()).pathname.replace(/\/$/, '/index.html')));
    return existsSync(file) ? route.fulfill({ path: file }) : route.fulfill({ status: 404 });
  });
  const lines = [];
  const printedAll = new Promise((resolve, reject) => {
    if (promised.length === 0)
      reject(new Error('the README example promises no output (no `// → …` comment)'));
    page.on('pageerror', (error) => reject(new Error(`page error: ${error.message}`)));
    page.on('console', (message) => {
      if (message.type() === 'error') reject(new Error(`console.error: ${message.text()}`));
      else if (message.type() === 'log' && lines.push(message.text()) === promised.length) resolve(lines);
    });
    timer = setTimeout(() => reject(new Error(`no console.log within ${TIMEOUT_MS / 1000} s`)), TIMEOUT_MS);
  });
  await page.goto(`${ORIGIN}/`);
  const printed = (await printedAll).join('; ');
  if (printed !== promised.join('; '))
    throw new Error(`the example printed ${printed}; the README promises ${promised.join('; ')}`);
  console.log(`browser: README example in Chromium ${browser.version()}: ${printed}, as the README says`);
} catch (error) {
  console.error(`browser: FAILED, ${error.message}`);
  process.exitCode = 1;
} finally {
  clearTimeout(timer);
  await browser.close();
}
