// Usage: node scripts/consumer/browser-run.mjs DIST: opens DIST/index.html (a Vite build of the README
// example) in headless Chromium, served from a made-up origin by playwright-core's request routing, and
// waits for the example's one console.log, its test accuracy. Fails on any page error or console error,
// on a timeout, and on an accuracy under 0.95.
import { existsSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { chromium } from 'playwright-core';

const dist = process.argv[2];
const ORIGIN = 'http://fbt-consumer.test';
const CHROMIUM = '/usr/bin/chromium';
const TIMEOUT_MS = 120_000;

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
  const accuracy = new Promise((resolve, reject) => {
    page.on('pageerror', (error) => reject(new Error(`page error: ${error.message}`)));
    page.on('console', (message) => {
      if (message.type() === 'error') reject(new Error(`console.error: ${message.text()}`));
      else if (message.type() === 'log') resolve(message.text());
    });
    timer = setTimeout(() => reject(new Error(`no console.log within ${TIMEOUT_MS / 1000} s`)), TIMEOUT_MS);
  });
  await page.goto(`${ORIGIN}/`);
  const printed = await accuracy;
  const value = Number(printed);
  if (!(value >= 0.95)) throw new Error(`the example printed ${printed}, expected a test accuracy >= 0.95`);
  console.log(`browser: README example in Chromium ${browser.version()}: test accuracy ${printed}`);
} catch (error) {
  console.error(`browser: FAILED, ${error.message}`);
  process.exitCode = 1;
} finally {
  clearTimeout(timer);
  await browser.close();
}
