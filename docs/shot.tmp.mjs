import { chromium } from 'playwright-core';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
const [path, out, sel, dark] = process.argv.slice(2);
if (dark) await page.emulateMedia({ colorScheme: 'dark' });
await page.goto('http://localhost:4179' + path, { waitUntil: 'networkidle' });
if (sel) await page.locator(sel).first().scrollIntoViewIfNeeded();
await page.screenshot({ path: out });
await browser.close();
