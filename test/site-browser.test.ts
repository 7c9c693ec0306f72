/**
 * The plain layout as a site, in a real headless Chromium over HTTP (`codepairs preview`'s
 * server): a small project in all ten languages, built with its Pagefind search index. The
 * language switcher, search in two languages, every internal link of a sample of pages,
 * html-validate and axe-core on those pages, and one screenshot per language, kept in
 * test/artifacts/screenshots/ (see the README).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { HtmlValidate } from 'html-validate';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPreviewServer, listen } from '../src/cli/preview.js';
import { LANGS } from './helpers/locales.js';
import { ROOT } from './helpers/paths.js';
import { makeProject, type Project } from './helpers/project.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = join(ROOT, 'test/artifacts/screenshots');
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
/** A sample of every kind of page: root, home pages (with the search box), code pages, articles, the 404 page. */
const SAMPLE = ['index.html', '404.html', 'en/index.html', 'ja/index.html', 'de/sip/486.html', 'ru/sip/183.html', 'en/sip/486-vs-600.html', 'zh-CN/sip/183-vs-439.html', 'fr/sip/404-vs-486.html', 'ko/sip/180-vs-183.html'];

/** axe takes a few seconds a page: one page of each kind. */
const AXE_SAMPLE = ['404.html', 'ja/index.html', 'de/sip/486.html', 'zh-CN/sip/183-vs-439.html'];

let project: Project;
let server: Server;
let site: string;
let browser: Browser;

beforeAll(async () => {
  project = makeProject(undefined, LANGS, { search: true });
  const result = project.run('build', '--quiet');
  expect(result.status, result.stderr).toBe(0);
  server = createPreviewServer(project.path('out'));
  site = `http://127.0.0.1:${await listen(server, 0, false)}/`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((done) => (server ? server.close(done) : done(undefined)));
  project?.remove();
});

const open = async (path: string): Promise<Page> => {
  const page = await browser.newPage();
  const response = await page.goto(new URL(path, site).href);
  expect(response?.status(), path).toBe(200);
  return page;
};

const sipText = (lang: string) => JSON.parse(project.read('locales', lang, 'sip.json')) as { codes: Record<string, { gloss?: string }> };

/** Type a query into the Pagefind box of a home page and wait for its results. */
async function search(page: Page, query: string): Promise<string[]> {
  await page.locator('.pagefind-ui__search-input').fill(query);
  await page.locator('.pagefind-ui__result-link').first().waitFor({ timeout: 15_000 });
  return page.locator('.pagefind-ui__result-link').evaluateAll((links) => links.map((l) => (l as HTMLAnchorElement).href));
}

describe('the site in Chromium', () => {
  it('switches a pair page to the same pair in another language', async () => {
    const page = await open('de/sip/183-vs-439.html');
    expect(await page.getAttribute('html', 'lang')).toBe('de');
    await page.locator('nav.languages a[hreflang="ja"]').click();
    await page.waitForLoadState();
    expect(page.url()).toBe(`${site}ja/sip/183-vs-439.html`);
    expect(await page.getAttribute('html', 'lang')).toBe('ja');
    expect(await page.locator('h1').textContent()).toMatch(/183.*439/);
    await page.close();
  });

  it('finds a reason phrase in English and in German, each in its own language, and opens a hit', async () => {
    const en = await open('en/index.html');
    const hits = await search(en, 'Busy Everywhere');
    expect(hits.length).toBeGreaterThan(0);
    for (const hit of hits) expect(hit.startsWith(`${site}en/`), hit).toBe(true);
    await en.locator('.pagefind-ui__result-link').first().click();
    await en.waitForLoadState();
    expect(en.url()).toMatch(/\/en\/sip\/[\d-vs]+\.html/);
    expect(await en.locator('main').textContent()).toContain('Busy Everywhere');
    await en.close();

    // German: the German gloss of a reason phrase, found only on German pages.
    const gloss = sipText('de').codes['600']!.gloss!;
    expect(gloss).not.toMatch(/Busy|Everywhere/);
    const de = await open('de/index.html');
    const deHits = await search(de, gloss);
    for (const hit of deHits) expect(hit.startsWith(`${site}de/`), hit).toBe(true);
    await de.locator('.pagefind-ui__result-link').first().click();
    await de.waitForLoadState();
    expect(await de.getAttribute('html', 'lang')).toBe('de');
    expect(await de.locator('main').textContent()).toContain(gloss);
    await de.close();
  });

  it("finds a code's own text on the code's page, not on its pair articles, whose code sections are kept out of the index", async () => {
    // Words of 439's description alone: a pair article shows the description in its section for 439.
    const en = await open('en/index.html');
    const pair = await open('en/sip/183-vs-439.html');
    expect(await pair.locator('main').textContent()).toContain('cannot keep the flow that the registration depends on');
    expect(await pair.locator('h2#code-439').getAttribute('data-pagefind-ignore')).toBe('');
    expect(await pair.locator('h2#differences').getAttribute('data-pagefind-ignore')).toBeNull();
    await pair.close();
    const hits = await search(en, 'cannot keep the flow that the registration depends on');
    expect(hits).toContain(`${site}en/sip/439.html`);
    for (const hit of hits) expect(hit, hit).not.toMatch(/-vs-/);
    await en.close();
  });

  it('every internal link of a sample of pages resolves', async () => {
    const checked = new Map<string, number>();
    for (const path of SAMPLE) {
      const page = await open(path);
      const targets = await page.evaluate(() =>
        [...document.querySelectorAll('a[href], link[href], script[src]')].map((e) => (e as HTMLAnchorElement).href || (e as HTMLScriptElement).src),
      );
      await page.close();
      for (const target of targets) {
        const url = new URL(target);
        if (url.origin !== new URL(site).origin) continue;
        url.hash = '';
        if (checked.has(url.href)) continue;
        const response = await fetch(url.href, { redirect: 'manual' });
        checked.set(url.href, response.status);
        expect(response.status, `${target} on ${path}`).toBe(200);
      }
    }
    expect(checked.size).toBeGreaterThan(50);
  });

  it('html-validate finds no errors on the sample pages', async () => {
    const validator = new HtmlValidate({ extends: ['html-validate:recommended'] });
    for (const path of SAMPLE) {
      const report = await validator.validateString(project.read('out', path), path);
      const errors = report.results.flatMap((r) => r.messages.filter((m) => m.severity === 2).map((m) => `${path}:${m.line}:${m.column} ${m.ruleId} ${m.message}`));
      expect(errors).toEqual([]);
    }
  });

  it('axe-core finds no serious or critical violation, search results shown included', async () => {
    const audit = async (page: Page, where: string) => {
      await page.addScriptTag({ content: AXE });
      const violations = await page.evaluate(async () => {
        const result = await (window as unknown as { axe: { run: () => Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> }> } }).axe.run();
        return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
      });
      expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'), where).toEqual([]);
    };
    for (const path of AXE_SAMPLE) {
      const page = await open(path);
      await audit(page, path);
      await page.close();
    }
    const home = await open('fr/index.html');
    await search(home, 'Busy Here');
    await audit(home, 'fr/index.html with results');
    await home.close();
  });

  it('keeps a screenshot of a pair page in every language', async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const page = await browser.newPage({ viewport: { width: 900, height: 700 } });
    for (const lang of LANGS) {
      await page.goto(`${site}${lang}/sip/486-vs-600.html`);
      expect(await page.getAttribute('html', 'lang')).toBe(lang);
      const shot = await page.screenshot({ path: join(SCREENSHOTS, `${lang}.png`) });
      expect(shot.length).toBeGreaterThan(10_000);
    }
    await page.close();
  });
});
