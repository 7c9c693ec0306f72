/**
 * Opens generated pages in a real headless Chromium (Debian's /usr/bin/chromium, driven by
 * playwright-core), straight from disk as a reader with no web server would.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtOutput } from './helpers/built-output.js';
import { LANGS } from './helpers/locales.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const out = await builtOutput();
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: install the Debian package \`chromium\` (.ci/run does).`);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
});

const open = async (path: string) => {
  const page = await browser.newPage();
  await page.goto(pathToFileURL(join(out, path)).href);
  return page;
};

describe('a pair article in Chromium', () => {
  it('shows the Chinese page with its title, language and localized headings', async () => {
    const page = await open('zh-CN/sip/183-vs-439.html');
    expect(await page.title()).toBe('SIP 183 Session Progress 与 439 First Hop Lacks Outbound Support 对比');
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    const headings = await page.locator('main h2').allTextContents();
    expect(headings).toEqual(expect.arrayContaining(['主要区别', '何时使用哪个', '了解更多']));
    expect(await page.locator('main table tr').count()).toBeGreaterThan(5);
    await page.close();
  });

  it('switches language to the same pair, and every alternate link resolves to a page', async () => {
    const page = await open('zh-CN/sip/183-vs-439.html');
    await page.locator('nav.languages a[hreflang="en"]').click();
    await page.waitForLoadState();
    expect(page.url()).toMatch(/\/en\/sip\/183-vs-439\.html$/);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.locator('h1').textContent()).toBe('SIP 183 Session Progress vs 439 First Hop Lacks Outbound Support');
    const alternates = await page.locator('link[rel="alternate"]').evaluateAll((links) =>
      links.map((l) => ({ hreflang: l.getAttribute('hreflang'), href: (l as HTMLLinkElement).href })),
    );
    expect(alternates.map((a) => a.hreflang)).toEqual([...LANGS, 'x-default']);
    for (const { href } of alternates) {
      const response = await page.request.get(href).catch(() => undefined);
      expect(response?.ok() ?? existsSync(new URL(href)), href).toBe(true);
    }
    await page.close();
  });

  it('reaches any pair in two clicks from the language index', async () => {
    const page = await open('en/index.html');
    await page.getByRole('link', { name: '486 Busy Here', exact: true }).first().click();
    await page.waitForLoadState();
    expect(page.url()).toMatch(/\/en\/sip\/486\.html$/);
    await page.locator('main a', { hasText: '600 Busy Everywhere' }).first().click();
    await page.waitForLoadState();
    expect(page.url()).toMatch(/\/en\/sip\/486-vs-600\.html$/);
    expect(await page.title()).toBe('SIP 486 Busy Here vs 600 Busy Everywhere');
    await page.close();
  });
});

describe('the reversed URL of a pair', () => {
  it('leads the reader to the one canonical page, in every language', async () => {
    for (const lang of ['en', 'ru']) {
      const page = await open(`${lang}/sip/439-vs-183.html`);
      await page.waitForURL(/\/183-vs-439\.html$/);
      expect(await page.getAttribute('html', 'lang')).toBe(lang);
      expect(await page.locator('h1').textContent()).toMatch(/183.*439/);
      await page.close();
    }
  });
});
