/**
 * The call-flow diagrams of a pair page in a real headless Chromium: they load from disk, stand
 * side by side on a wide screen and one above the other on a narrow one, switch to their dark
 * palette with the reader's colour scheme, and look like the stored reference picture (within a
 * tolerance for font rendering). Set UPDATE_SCREENSHOTS=1 to store a new reference after an
 * intended change of the drawing.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pixelmatch from 'pixelmatch';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers/paths.js';
import { makeProject, type Project } from './helpers/project.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const REFERENCE = join(ROOT, 'test/fixtures/ladder-183-vs-486.png');
/** Share of pixels allowed to differ (anti-aliasing and font hinting vary between machines). */
const TOLERANCE = 0.02;
const DIAGRAMS = 'main p:has(> img + img)';

let browser: Browser;
let project: Project;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: install the Debian package \`chromium\`, or set CHROMIUM_PATH.`);
  project = makeProject([183, 486], ['en']);
  const result = project.run('build', '--jobs', '1');
  expect(result.status, result.stderr).toBe(0);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--font-render-hinting=none', '--disable-lcd-text'] });
});

afterAll(async () => {
  await browser?.close();
  project?.remove();
});

async function open(width: number, colorScheme: 'light' | 'dark'): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: 900 }, deviceScaleFactor: 1, colorScheme });
  await page.goto(pathToFileURL(project.path('out/en/sip/183-vs-486.html')).href);
  await page.locator(DIAGRAMS).scrollIntoViewIfNeeded();
  await page.waitForFunction(() => [...document.querySelectorAll('main img')].every((img) => (img as HTMLImageElement).complete));
  return page;
}

const boxes = (page: Page) => page.locator(`${DIAGRAMS} > img`).evaluateAll((imgs) => imgs.map((img) => img.getBoundingClientRect().toJSON() as DOMRect));

describe('call-flow diagrams of a pair page in Chromium', () => {
  it('loads both diagrams, side by side on a wide screen', async () => {
    const page = await open(1200, 'light');
    const loaded = await page.locator(`${DIAGRAMS} > img`).evaluateAll((imgs) => imgs.map((img) => (img as HTMLImageElement).naturalWidth));
    expect(loaded).toHaveLength(2);
    for (const width of loaded) expect(width).toBeGreaterThan(0);
    const [first, second] = await boxes(page);
    expect(second!.left).toBeGreaterThanOrEqual(first!.right);
    expect(second!.top).toBeCloseTo(first!.top, 0);
    await page.close();
  });

  it('stacks them on a narrow screen', async () => {
    const page = await open(600, 'light');
    const [first, second] = await boxes(page);
    expect(second!.top).toBeGreaterThanOrEqual(first!.bottom);
    expect(first!.right).toBeLessThanOrEqual(600);
    await page.close();
  });

  it('draws them light on light and dark on dark', async () => {
    const background = async (scheme: 'light' | 'dark') => {
      const page = await open(1200, scheme);
      const png = PNG.sync.read(await page.locator(`${DIAGRAMS} > img`).first().screenshot());
      await page.close();
      const [r, g, b] = png.data.subarray(0, 3);
      return (r! + g! + b!) / 3;
    };
    expect(await background('light')).toBeGreaterThan(200);
    expect(await background('dark')).toBeLessThan(60);
  });

  it('looks like the stored reference picture', async () => {
    const page = await open(1200, 'light');
    const shot = await page.locator(DIAGRAMS).screenshot();
    await page.close();
    if (process.env.UPDATE_SCREENSHOTS === '1') writeFileSync(REFERENCE, shot);
    expect(existsSync(REFERENCE), `no reference picture at ${REFERENCE}: run with UPDATE_SCREENSHOTS=1`).toBe(true);
    const actual = PNG.sync.read(shot);
    const expected = PNG.sync.read(readFileSync(REFERENCE));
    expect([actual.width, actual.height]).toEqual([expected.width, expected.height]);
    const diff = new PNG({ width: actual.width, height: actual.height });
    const differing = pixelmatch(actual.data, expected.data, diff.data, actual.width, actual.height, { threshold: 0.1 });
    expect(differing / (actual.width * actual.height)).toBeLessThanOrEqual(TOLERANCE);
  });
});
