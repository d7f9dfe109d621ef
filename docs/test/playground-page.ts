import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { DEFAULTS } from '../.vitepress/theme/playground/settings';
import { ARTIFACTS } from './artifacts';

/** The served site the playground checks run against (set up by site.test.ts). */
export interface ServedSite {
  readonly browser: Browser;
  readonly origin: string;
}

/** Opens the playground page, collecting its uncaught errors into `problems`. */
async function openPlayground(site: ServedSite, query = ''): Promise<{ page: Page; problems: string[] }> {
  const page = await site.browser.newPage({ viewport: { width: 1280, height: 1400 } });
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console.error ${message.text()}`);
  });
  await page.goto(`${site.origin}/guide/playground${query}`, { waitUntil: 'networkidle' });
  await page.getByTestId('train').waitFor();
  return { page, problems };
}

/** Waits until the run's status says it is done (or failed), and returns its test accuracy. */
async function finalAccuracy(page: Page, id: 'main' | 'tied', timeout: number): Promise<number> {
  const status = page.getByTestId(`status-${id}`);
  await status.filter({ hasText: /\(done\)|Error/ }).waitFor({ timeout });
  expect(await status.textContent()).toContain('(done)');
  return Number(await page.getByTestId(`accuracy-${id}`).textContent());
}

/**
 * The playground checks, driven through the page's controls: the documented setup (two moons, Heaviside
 * hidden layers 16 and 4, `rectangular`, seed 1, 2000 steps) trains above 0.95 while `tied` ends at least
 * 10 points lower; the cosine readout moves as a network with a smooth forward trains; the URL holds and
 * restores the controls and refuses invalid values; DIGITS trains. Registered inside site.test.ts's
 * browser suite, so they run against its build and server.
 */
export function playgroundChecks(site: () => ServedSite): void {
  it('trains the documented setup through its controls: rectangular ≥ 0.95, tied ≥ 10 points lower', async () => {
    const { page, problems } = await openPlayground(site());
    await page.getByTestId('data').selectOption('two-moons');
    await page.getByTestId('hidden').fill('16,4');
    await page.getByTestId('forward').selectOption('heaviside');
    await page.getByTestId('rule').selectOption('rectangular');
    await page.getByTestId('rule-param-a').fill('-0.5');
    await page.getByTestId('rule-param-b').fill('0.5');
    await page.getByTestId('optimizer').selectOption('adam');
    await page.getByTestId('lr').fill('0.01');
    await page.getByTestId('seed').fill('1');
    await page.getByTestId('steps').fill('2000');
    await page.getByTestId('compare').click();
    const started = Date.now();
    const rectangular = await finalAccuracy(page, 'main', 120_000);
    const tied = await finalAccuracy(page, 'tied', 120_000);
    console.log(
      `playground: two moons, heaviside 16,4, 2000 steps: rectangular ${rectangular}, tied ${tied} (${Date.now() - started} ms)`,
    );
    expect(rectangular).toBeGreaterThanOrEqual(0.95);
    expect(tied).toBeLessThanOrEqual(rectangular - 0.1);
    // The boundary, the three plots and a cosine per parameter tensor are drawn.
    expect(await page.locator('[data-testid$=-plot] .fbt-x-axis').count()).toBe(3);
    expect(await page.locator('[data-testid=cosines] td').count()).toBe(6);
    // The address now holds the controls.
    expect(page.url()).toContain('data=two-moons&hidden=16,4&forward=heaviside&rule=rectangular');
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'playground-compare.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  }, 300_000);

  it('shows the per-layer cosine to the tied gradient changing while a tanh network trains', async () => {
    const { page, problems } = await openPlayground(site());
    await page.getByTestId('forward').selectOption('tanh');
    await page.getByTestId('steps').fill('1500');
    await page.getByTestId('train').click();
    const readout = page.getByTestId('cosine-0.weight');
    const seen = new Set<string>();
    const status = page.getByTestId('status-main');
    while (!/\(done\)|Error/.test((await status.textContent()) ?? '')) {
      if (await readout.isVisible()) seen.add((await readout.textContent()) ?? '');
      await page.waitForTimeout(20);
    }
    expect(await status.textContent()).toContain('(done)');
    expect(seen.size).toBeGreaterThanOrEqual(3);
    for (const value of seen) expect(Math.abs(Number(value))).toBeLessThanOrEqual(1);
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);

  it('restores the controls from the URL, refuses invalid values in it or in a control with a message', async () => {
    const shared =
      '?data=spirals&hidden=8,8&forward=tanh&rule=triangular&opt=sgd&lr=0.05&seed=7&steps=300&r.w=0.5';
    const restored = await openPlayground(site(), shared);
    expect(await restored.page.getByTestId('url-errors').count()).toBe(0);
    expect(await restored.page.getByTestId('data').inputValue()).toBe('spirals');
    expect(await restored.page.getByTestId('hidden').inputValue()).toBe('8,8');
    expect(await restored.page.getByTestId('forward').inputValue()).toBe('tanh');
    expect(await restored.page.getByTestId('rule').inputValue()).toBe('triangular');
    expect(await restored.page.getByTestId('rule-param-w').inputValue()).toBe('0.5');
    expect(await restored.page.getByTestId('optimizer').inputValue()).toBe('sgd');
    expect(await restored.page.getByTestId('lr').inputValue()).toBe('0.05');
    expect(await restored.page.getByTestId('seed').inputValue()).toBe('7');
    expect(await restored.page.getByTestId('steps').inputValue()).toBe('300');
    await restored.page.close();

    const refused = await openPlayground(site(), '?hidden=abc&lr=-1&r.a=9&color=red');
    const message = (await refused.page.getByTestId('url-errors').textContent()) ?? '';
    expect(message).toContain('hidden=abc: expected 1 to 4 widths in [1, 128] separated by commas');
    expect(message).toContain('lr=-1: expected a number in [0.00001, 10]');
    expect(message).toContain("'rectangular' needs a < b");
    expect(message).toContain('color: unknown');
    // The refused values are not used: the defaults are.
    expect(await refused.page.getByTestId('hidden').inputValue()).toBe(DEFAULTS.hidden.join(','));
    expect(await refused.page.getByTestId('lr').inputValue()).toBe(String(DEFAULTS.lr));
    expect(await refused.page.getByTestId('rule-param-a').inputValue()).toBe(String(DEFAULTS.ruleParams.a));
    // A control set to an invalid value is refused the same way, and nothing can be trained until it is fixed.
    await refused.page.getByTestId('rule-param-b').fill('-1');
    expect(await refused.page.getByTestId('control-errors').textContent()).toContain(
      "'rectangular' needs a < b; got a=-0.5, b=-1",
    );
    expect(await refused.page.getByTestId('train').isDisabled()).toBe(true);
    expect(await refused.page.getByTestId('compare').isDisabled()).toBe(true);
    await refused.page.getByTestId('rule-param-b').fill('0.5');
    expect(await refused.page.getByTestId('control-errors').count()).toBe(0);
    expect(await refused.page.getByTestId('train').isDisabled()).toBe(false);
    expect(refused.problems).toEqual([]);
    await refused.page.close();
  }, 60_000);

  it('trains DIGITS from the file @fbt/datasets ships', async () => {
    const { page, problems } = await openPlayground(
      site(),
      '?data=digits&hidden=32&forward=relu&rule=tied&steps=300',
    );
    await page.getByTestId('train').click();
    expect(await finalAccuracy(page, 'main', 60_000)).toBeGreaterThan(0.8);
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);
}
