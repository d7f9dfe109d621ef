import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import type { CheckInput, CheckResult } from '../src/checks';

/** Debian's Chromium (apt package `chromium`); playwright's own browsers are never downloaded. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Why the browser suite cannot run here, or null when Chromium is installed. */
export function chromiumMissing(): string | null {
  return existsSync(CHROMIUM_PATH)
    ? null
    : `${CHROMIUM_PATH} not found (install Debian's chromium package); skipping the browser checks`;
}

/** Launches headless Chromium from `CHROMIUM_PATH`. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** What the page produced: the checks' result and every console error or uncaught error it logged. */
export interface PageRun {
  readonly result: CheckResult;
  readonly problems: string[];
}

/**
 * Opens a blank page, loads `bundle` (the IIFE from `bundleForBrowser`) as an inline script and calls its
 * `window.__fbtRunChecks(input)`; resolves with the JSON result the page produced. When anything
 * fails, the page's console errors and uncaught errors are appended to the thrown message.
 */
export async function runChecksInPage(browser: Browser, bundle: string, input: CheckInput): Promise<PageRun> {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console.error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.stack ?? error.message}`));
  try {
    await page.setContent('<!doctype html><title>fbt browser check</title>');
    await page.addScriptTag({ content: bundle });
    if (!(await page.evaluate(() => typeof window.__fbtRunChecks === 'function')))
      throw new Error('the bundle loaded but did not define window.__fbtRunChecks');
    const result = await page.evaluate((arg) => window.__fbtRunChecks!(arg), input);
    return { result, problems };
  } catch (error) {
    const detail = problems.length > 0 ? `\npage reported:\n${problems.join('\n')}` : '';
    throw new Error(`the checks failed in Chromium: ${(error as Error).message}${detail}`, { cause: error });
  } finally {
    await page.close();
  }
}
